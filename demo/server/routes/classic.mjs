import { join } from 'node:path';
import {
  CLEAR_PRE_COOKIE,
  CLEAR_SESSION_COOKIE,
  classicSession,
  createLoginCsrf,
  csrfMatches,
  isCrossOriginRequest,
  isUnsafeMethod,
  presentedCsrf,
  readForm,
  sessionCookie,
} from '../classic-auth.mjs';
import { SIGNED_OUT_URL, homePage, loginPage, otherPage, refusedPage, signedOutPage } from '../classic-views.mjs';
import { HttpError, isObject, readBody, readJson, sendEmpty, sendJson } from '../http-util.mjs';
import { addNote, notesOf } from '../notes.mjs';
import { clientFields } from '../request-guard.mjs';
import { applyPageHeaders } from '../security-headers.mjs';
import { resolveInside, sendFile } from '../static-files.mjs';

const HOME_URL = '/classic/';
const LOGIN_URL = '/classic/login';
const RETRY_HOME = { retryUrl: HOME_URL, retryLabel: 'Back to your notes' };
const RETRY_LOGIN = { retryUrl: LOGIN_URL, retryLabel: 'Back to sign in' };
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';
const ECHO_LIMIT = 1024 * 1024;
const STATIC_TYPES = /\.(css|svg)$/;
const WIRE_PATHS = new Set(['/classic/session', '/classic/keepalive', '/classic/logout']);

/**
 * Whether a path is one of the cookie-mode wire endpoints (session, keepalive,
 * logout, /classic/api/*), which `/test/outage` takes down with /auth and /api.
 * @param {string} path
 */
export function isClassicWirePath(path) {
  return WIRE_PATHS.has(path) || path.startsWith('/classic/api/');
}

function sendHtml(res, status, markup, headers = {}) {
  applyPageHeaders(res);
  const data = Buffer.from(String(markup));
  res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': data.length });
  res.end(data);
}

function redirect(res, location, headers = {}) {
  sendEmpty(res, 303, { ...headers, Location: location, 'Content-Length': '0' });
}

/** 403 for a missing or wrong CSRF token: an HTML page for forms (`retry`), JSON otherwise. */
function refuse({ req, res, state, url }, retry, session = null) {
  state.counters.csrfRejected++;
  state.log.event('csrf_rejected', session, { path: url.pathname, ...clientFields(req) });
  req.resume();
  if (!retry) throw new HttpError(403, 'invalid_csrf_token');
  sendHtml(res, 403, refusedPage(retry));
}

/**
 * Wrap a handler that needs a signed-in user. No live session: HTML routes
 * redirect to the login page (303), JSON routes answer 401 `invalid_session`;
 * a stale cookie is cleared. State-changing methods need the session's CSRF
 * token (HTML routes: header or form field `csrf`; JSON routes: header) or get
 * 403. Then the request counts as activity and the handler gets `session`,
 * `user` and `form` (HTML routes with a state-changing method; else null).
 * @param {(ctx: object) => unknown} handler
 * @param {{ json?: boolean }} [opts]
 */
function signedIn(handler, { json = false } = {}) {
  return async (ctx) => {
    const { req, res, state } = ctx;
    const { session, stale } = classicSession(req, state);
    if (!session) {
      req.resume();
      const headers = stale ? { 'Set-Cookie': CLEAR_SESSION_COOKIE } : {};
      if (json) throw new HttpError(401, 'invalid_session', headers);
      return redirect(res, LOGIN_URL, headers);
    }
    let form = null;
    if (isUnsafeMethod(req.method)) {
      if (!json) form = await readForm(req);
      if (!csrfMatches(session, presentedCsrf(req, form))) return refuse(ctx, json ? null : RETRY_HOME, session);
    }
    state.store.touch(session);
    const user = state.users.get(session.user) ?? { username: session.user, name: session.user };
    return handler({ ...ctx, session, user, form });
  };
}

function showLogin({ req, res, url, state }, loginCsrf, { status = 200, retryAfter = 0 } = {}) {
  if (url.searchParams.get('signed-out') === '1') {
    const stale = classicSession(req, state).stale;
    return sendHtml(res, 200, signedOutPage(), stale ? { 'Set-Cookie': [CLEAR_SESSION_COOKIE] } : {});
  }
  const { token, setCookie } = loginCsrf.issue(req);
  const cookies = [setCookie, classicSession(req, state).stale && CLEAR_SESSION_COOKIE].filter(Boolean);
  const view = {
    csrfToken: token,
    failed: retryAfter === 0 && url.searchParams.get('error') === '1',
    retryAfter,
  };
  const headers = cookies.length > 0 ? { 'Set-Cookie': cookies } : {};
  if (retryAfter > 0) headers['Retry-After'] = String(retryAfter);
  sendHtml(res, status, loginPage(view), headers);
}

async function login(ctx, loginCsrf) {
  const { req, res, state } = ctx;
  const { counters, log, store, users } = state;
  const form = await readForm(req);
  if (!loginCsrf.verify(req, presentedCsrf(req, form))) return refuse(ctx, RETRY_LOGIN);
  const username = form.get('username');
  const password = form.get('password');
  const known = users.get(username ?? '') ? { user: username } : {};
  const failed = (fields = {}) => {
    counters.classicLoginFailed++;
    log.event('login_failed', null, { mode: 'cookie', ...known, ...fields, ...clientFields(req) });
    return redirect(res, `${LOGIN_URL}?error=1`);
  };
  if (!(typeof username === 'string' && typeof password === 'string' && username.length <= 200 && password.length <= 1024)) {
    return failed();
  }
  const attempt = state.throttle.begin([`account:${username}`, `client:${clientFields(req).ip}`]);
  if ('retryAfter' in attempt) {
    counters.throttled++;
    log.event('throttled', null, { endpoint: 'classic_login', mode: 'cookie', retryAfter: attempt.retryAfter, ...known, ...clientFields(req) });
    return showLogin(ctx, loginCsrf, { status: 429, retryAfter: attempt.retryAfter });
  }
  const user = await users.verify(username, password);
  // Synchronous from here to the session: the credentials checked must still be current.
  if (!user) return failed({ failures: attempt.fail() });
  if (users.version(user.username) !== user.version) {
    attempt.release();
    return failed({ stale: true });
  }
  attempt.succeed();
  // Whatever session cookie came with the request, the new session gets a new
  // id; a live session it named is ended, a planted or stale one is never adopted.
  const previous = classicSession(req, state).session;
  if (previous) store.end(previous, 'revoked', { reason: 'relogin' });
  const session = store.createSession({ user: user.username, userAgent: req.headers['user-agent'], mode: 'cookie' });
  const id = store.issueCookieToken(session);
  counters.classicLogin++;
  log.event('login', session);
  redirect(res, HOME_URL, { 'Set-Cookie': [sessionCookie(id), CLEAR_PRE_COOKIE] });
}

async function logout(ctx) {
  const { req, res, state } = ctx;
  state.counters.classicLogout++;
  const form = await readForm(req);
  const { session } = classicSession(req, state);
  // With a live session the CSRF token must match. Without one there is
  // nothing to end, but Clear-Site-Data would still wipe the site's cookies:
  // refuse that to pages of other origins (a cross-site POST carries no
  // SameSite=Lax cookie, so it always looks session-less).
  const refused = session ? !csrfMatches(session, presentedCsrf(req, form)) : isCrossOriginRequest(req);
  if (refused) return refuse(ctx, RETRY_HOME, session);
  if (session) state.store.end(session, 'logout');
  const clear = { 'Set-Cookie': CLEAR_SESSION_COOKIE, 'Clear-Site-Data': CLEAR_SITE_DATA };
  // The SDK's own call gets a 200: WebKit ignores Clear-Site-Data on a redirect. A plain form post is redirected.
  if (req.headers['session-vault'] === '1') return sendJson(res, 200, { ok: true }, clear);
  redirect(res, SIGNED_OUT_URL, clear);
}

function sessionInfo({ req, res, state }) {
  const { session, stale } = classicSession(req, state);
  const headers = stale ? { 'Set-Cookie': CLEAR_SESSION_COOKIE } : {};
  if (!session) return sendJson(res, 200, { authenticated: false }, headers);
  const { idleExpiresAt, absoluteExpiresAt, csrfToken } = session;
  sendJson(res, 200, { authenticated: true, idleExpiresAt, absoluteExpiresAt, csrfToken });
}

const keepaliveSignedIn = signedIn(
  ({ req, res, session }) => {
    req.resume();
    sendJson(res, 200, { idleExpiresAt: session.idleExpiresAt, absoluteExpiresAt: session.absoluteExpiresAt });
  },
  { json: true },
);

function keepalive(ctx) {
  ctx.state.counters.classicKeepalive++;
  return keepaliveSignedIn(ctx);
}

function addNoteFromForm({ res, state, session, form }) {
  try {
    addNote(state.notes, session.user, form.get('text'));
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) return redirect(res, `${HOME_URL}?note-error=1`);
    throw error;
  }
  redirect(res, HOME_URL);
}

async function apiNotes({ req, res, state, session }) {
  if (req.method === 'GET' || req.method === 'HEAD') return sendJson(res, 200, { notes: notesOf(state.notes, session.user) });
  const body = await readJson(req);
  sendJson(res, 201, addNote(state.notes, session.user, isObject(body) ? body.text : undefined));
}

async function apiEcho({ req, res }) {
  const body = await readBody(req, ECHO_LIMIT);
  sendJson(res, 200, {
    method: req.method,
    csrfHeader: req.headers['x-csrf-token'] !== undefined,
    contentType: req.headers['content-type'] ?? null,
    bodyLength: body.length,
  });
}

/**
 * `/classic/`: a server-rendered site with a form login and cookie sessions
 * (`__Host-sv_s`, new id at every login, CSRF token per session, login CSRF
 * via `__Host-sv_pre`), the SDK added with one script tag, and the cookie-mode
 * wire endpoints (`/classic/session`, `/classic/keepalive`, `/classic/logout`,
 * `/classic/api/*`). Sessions live in the shared store, with the same timeouts.
 * @param {ReturnType<import('../router.mjs').createRouter>} router
 * @param {{ root: string, test: boolean }} opts root: the repository root;
 *   test: signed-in pages honour `?config=bad-json|bad-options`
 */
export function addClassicRoutes(router, { root, test }) {
  const loginCsrf = createLoginCsrf();
  const staticDir = join(root, 'demo', 'classic');
  const configOf = (url) => (test ? url.searchParams.get('config') : null);

  router.add('GET', '/classic', ({ res }) => redirect(res, HOME_URL));
  router.add('GET', '/classic/login', (ctx) => showLogin(ctx, loginCsrf));
  router.add('POST', '/classic/login', (ctx) => login(ctx, loginCsrf));
  router.add('POST', '/classic/logout', logout);
  router.add(
    'GET',
    '/classic/',
    signedIn(({ res, url, state, session, user }) => {
      const noteError = url.searchParams.get('note-error') === '1';
      const notes = notesOf(state.notes, session.user);
      sendHtml(res, 200, homePage({ user, session, settings: state.settings, notes, noteError, config: configOf(url) }));
    }),
  );
  router.add(
    'GET',
    '/classic/other',
    signedIn(({ res, url, state, session, user }) => {
      sendHtml(res, 200, otherPage({ user, session, settings: state.settings, config: configOf(url) }));
    }),
  );
  router.add('POST', '/classic/notes', signedIn(addNoteFromForm));
  router.add('GET', '/classic/session', sessionInfo);
  router.add('POST', '/classic/keepalive', keepalive);
  router.add(['GET', 'POST'], '/classic/api/notes', signedIn(apiNotes, { json: true }));
  router.add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/classic/api/echo', signedIn(apiEcho, { json: true }));
  router.add('GET', '/classic/static/*', async ({ req, res, params }) => {
    const file = resolveInside(staticDir, params.rest);
    if (!(file && STATIC_TYPES.test(file) && (await sendFile(req, res, file)))) throw new HttpError(404, 'not_found');
  });
}
