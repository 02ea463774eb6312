import { HttpError, isObject, readJson, sendJson } from '../http/http-util.mjs';
import { LIFETIME_NAMES } from './state.mjs';

const MALFORMED_LOGIN = {
  'no-access-token': { token_type: 'Bearer', expires_in: 300 },
  'blank-access-token': { access_token: '', token_type: 'Bearer', expires_in: 300 },
  'wrong-token-type': { access_token: 'x'.repeat(43), token_type: 'mac', expires_in: 300 },
  'bad-expires-in': { access_token: 'x'.repeat(43), token_type: 'Bearer', expires_in: 'soon' },
  'json-array': [],
  'json-null': null,
};

const WORKERS = {
  'hang.js': 'self.onmessage = () => {};\n',
  'throw.js': [
    "setTimeout(() => { throw new Error('boom'); }, 0);",
    "self.onmessage = () => { throw new Error('boom on message'); };",
    '',
  ].join('\n'),
  // The real vault plus test hooks driven over a BroadcastChannel, so a test can make it
  // go silent, throw or leak in every engine (Playwright cannot evaluate in Firefox's workers).
  'vault-hooks.js': [
    "importScripts('/assets/vault.worker.js');",
    "new BroadcastChannel('session-vault-test-hooks').onmessage = ({ data }) => {",
    "  if (data?.do === 'close') self.close();",
    "  else if (data?.do === 'throw') setTimeout(() => { throw new Error('vault exploded'); }, 0);",
    "  else if (data?.do === 'leak') { self.postMessage({ stolen: data.token }); console.log('vault says', data.token); }",
    '};',
    '',
  ].join('\n'),
};

async function reset({ req, res, state }) {
  const body = await readJson(req, { allowEmpty: true });
  if (!isObject(body)) throw new HttpError(400, 'invalid_request');
  const overrides = {};
  for (const name of LIFETIME_NAMES) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 315_360_000) {
      throw new HttpError(400, 'invalid_request');
    }
    overrides[name] = value;
  }
  await state.reset(overrides);
  sendJson(res, 200, { ok: true, settings: { ...state.settings } });
}

async function outage({ req, res, state }) {
  const body = await readJson(req);
  if (!isObject(body) || typeof body.on !== 'boolean') throw new HttpError(400, 'invalid_request');
  state.outage = body.on;
  sendJson(res, 200, { ok: true, on: state.outage });
}

async function revokeAll({ req, res, state }) {
  req.resume();
  let revoked = 0;
  for (const id of state.auth.store.sessionIds()) {
    if (await state.auth.token.endSession(id, { reason: 'admin' })) revoked++;
  }
  sendJson(res, 200, { ok: true, revoked });
}

function expireAccess({ req, res, state }) {
  req.resume();
  state.auth.store.expireAccessTokens();
  sendJson(res, 200, { ok: true });
}

const ISSUED_COOKIES = /^(__Host-sv_rt|__Host-sv_s)=([^;]+)/;

/**
 * Test mode only: what the /test/* routes need to see and do that the
 * session library keeps to itself, added from outside through its public
 * seams (nothing of it exists outside test mode):
 * - `recorder`: the plaintext of the secrets the server's answers carried
 *   (token answers' `access_token`, the refresh and session cookies), for
 *   /test/tokens, read off the answers on their way out;
 * - `wrapStore(store)`: a decorator of the session store that remembers the
 *   session ids and the hashes of access tokens it was given, so
 *   /test/expire-access can make every access token issued so far fail (as
 *   if expired) and /test/revoke-all can end every session.
 */
export function createTestSupport() {
  let issued = { accessToken: null, refreshToken: null, all: [] };
  return {
    recorder: {
      /** @param {Response} response */
      async record(response) {
        for (const line of response.headers.getSetCookie()) {
          const [, name, value] = ISSUED_COOKIES.exec(line) ?? [];
          if (!value) continue;
          if (name === '__Host-sv_rt') issued.refreshToken = value;
          issued.all.push(value);
        }
        if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('json') || !response.body) return;
        const body = await response.clone().json().catch(() => null);
        if (typeof body?.access_token === 'string') {
          issued.accessToken = body.access_token;
          issued.all.push(body.access_token);
        }
      },
      tokens: () => ({ accessToken: issued.accessToken, refreshToken: issued.refreshToken, all: issued.all.slice() }),
      clear() {
        issued = { accessToken: null, refreshToken: null, all: [] };
      },
    },

    /** @param {import('../../../dist/server/index.js').SessionStore} inner */
    wrapStore(inner) {
      const sessionIds = new Set();
      const accessIssued = new Map();
      let issuedCount = 0;
      let expiredUpTo = 0;
      const note = (tokens) => {
        for (const token of tokens) if (token.kind === 'access') accessIssued.set(token.hash, ++issuedCount);
      };
      return Object.assign(Object.create(inner), {
        async create(input) {
          const result = await inner.create(input);
          if (result.status === 'ok') {
            sessionIds.add(input.session.id);
            note(input.tokens);
          }
          return result;
        },
        async rotate(input) {
          const result = await inner.rotate(input);
          if (result.status === 'ok') note(input.tokens);
          return result;
        },
        async lookup(input) {
          const expired = input.kind === 'access' && !input.allowExpiredToken && (accessIssued.get(input.hash) ?? Infinity) <= expiredUpTo;
          return expired ? { status: 'invalid' } : inner.lookup(input);
        },
        /** Every access token issued so far fails from now on, as if expired (refresh, logout unaffected). */
        expireAccessTokens() {
          expiredUpTo = issuedCount;
        },
        /** Ids of every session created through this store (live or not). */
        sessionIds: () => [...sessionIds],
      });
    },
  };
}

function loginMalformed({ req, res, url }) {
  req.resume();
  const kind = url.searchParams.get('kind');
  if (kind === 'not-json') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    return res.end('<html>oops');
  }
  if (!Object.hasOwn(MALFORMED_LOGIN, kind ?? '')) throw new HttpError(400, 'invalid_request');
  sendJson(res, 200, MALFORMED_LOGIN[kind]);
}

function redirect({ res, url }) {
  const status = Number(url.searchParams.get('status') ?? 302);
  let target;
  try {
    target = new URL(url.searchParams.get('to') ?? '');
  } catch {
    throw new HttpError(400, 'invalid_request');
  }
  if (![302, 307].includes(status) || !/^https?:$/.test(target.protocol)) throw new HttpError(400, 'invalid_request');
  res.writeHead(status, { Location: target.href, 'Content-Length': 0 });
  res.end();
}

function worker({ res, params }) {
  const source = Object.hasOwn(WORKERS, params.name) ? WORKERS[params.name] : null;
  if (!source) throw new HttpError(404, 'not_found');
  res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(source);
}

const HOLD_MS = 10_000;
/** Ids of /test/hold requests whose client went away before the answer: proof that an abort reached the network. */
const abandoned = new Set();
const arrived = new Set();

/** Answers only after HOLD_MS; records the id when the client disconnects first. */
function hold({ req, res, url }) {
  req.resume();
  const id = url.searchParams.get('id') ?? '';
  arrived.add(id);
  const timer = setTimeout(() => res.end('held'), HOLD_MS);
  res.on('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) abandoned.add(id);
  });
}

/**
 * Test-support routes under /test/*. Registered only in test mode, so every
 * /test/* path is a 404 otherwise.
 * @param {ReturnType<import('../http/router.mjs').createRouter>} router
 */
export function addTestSupportRoutes(router) {
  const json = (read) => ({ res, state }) => sendJson(res, 200, read(state));
  router.add('POST', '/test/reset', reset);
  router.add('GET', '/test/tokens', json((s) => s.testSupport.recorder.tokens()));
  router.add('GET', '/test/counters', json((s) => ({ ...s.counters })));
  router.add('GET', '/test/events', json((s) => s.log.events()));
  router.add('GET', '/test/second-origin-log', json((s) => ({ requests: s.secondOriginLog.slice() })));
  router.add('POST', '/test/expire-access', expireAccess);
  router.add('POST', '/test/revoke-all', revokeAll);
  router.add('POST', '/test/outage', outage);
  router.add('POST', '/test/login-malformed', loginMalformed);
  router.add(['GET', 'POST', 'PUT', 'DELETE'], '/test/redirect', redirect);
  router.add('GET', '/test/workers/:name', worker);
  router.add('GET', '/test/hold', hold);
  router.add('GET', '/test/abandoned', ({ res, url }) => {
    const id = url.searchParams.get('id') ?? '';
    sendJson(res, 200, { arrived: arrived.has(id), abandoned: abandoned.has(id) });
  });
}
