import { join } from 'node:path'
import { HttpError, isObject, readJson, sendJson } from '../http/http-util.mjs'
import { serveFiles } from '../reference/routes/static.mjs'

/** The lifetime settings, in seconds, that /test/reset may change. */
export const LIFETIME_NAMES = /** @type {const} */ ([
  'accessTokenTtl',
  'idleTimeout',
  'absoluteTimeout',
  'refreshTokenTtl',
])

/** The longest lifetime /test/reset accepts: ten years, in seconds. */
const MAX_LIFETIME = 315_360_000

/** Files of e2e/ that /e2e/* serves. */
const E2E_TYPES = /\.(html|js|css|json)$/i

/** The expires_in of the malformed token answers, seconds. */
const MALFORMED_EXPIRES_IN = 300
/** A plausible access token's length, characters. */
const TOKEN_LENGTH = 43

/** @type {Record<string, unknown>} */
const MALFORMED_LOGIN = {
  'no-access-token': { token_type: 'Bearer', expires_in: MALFORMED_EXPIRES_IN },
  'blank-access-token': { access_token: '', token_type: 'Bearer', expires_in: MALFORMED_EXPIRES_IN },
  'wrong-token-type': { access_token: 'x'.repeat(TOKEN_LENGTH), token_type: 'mac', expires_in: MALFORMED_EXPIRES_IN },
  'bad-expires-in': { access_token: 'x'.repeat(TOKEN_LENGTH), token_type: 'Bearer', expires_in: 'soon' },
  'json-array': [],
  'json-null': null,
}

/** @type {Record<string, string>} */
const WORKERS = {
  'hang.js': 'self.onmessage = () => {};\n',
  'throw.js': [
    "setTimeout(() => { throw new Error('boom'); }, 0);",
    "self.onmessage = () => { throw new Error('boom on message'); };",
    '',
  ].join('\n'),
  // The real vault plus test hooks driven over a BroadcastChannel, so a test can make it
  // go silent, throw or leak in every engine (Playwright cannot evaluate in Firefox's workers).
  // Each command is acknowledged ({ done }) in the task that carries it out: once the page hears
  // it, a closed vault takes no further message.
  'vault-hooks.js': [
    "importScripts('/assets/vault.worker.js');",
    "const hooks = new BroadcastChannel('session-vault-test-hooks');",
    'hooks.onmessage = ({ data }) => {',
    '  if (data?.do) hooks.postMessage({ done: data.do });',
    "  if (data?.do === 'close') self.close();",
    "  else if (data?.do === 'throw') setTimeout(() => { throw new Error('vault exploded'); }, 0);",
    "  else if (data?.do === 'leak') { self.postMessage({ stolen: data.token }); console.log('vault says', data.token); }",
    '};',
    '',
  ].join('\n'),
}

/** @typedef {import('../reference/app.mjs').RouteContext} RouteContext */

/** @param {RouteContext} ctx */
function loginMalformed({ req, res, url }) {
  req.resume()
  const kind = url.searchParams.get('kind')
  if (kind === 'not-json') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
    return res.end('<html>oops')
  }
  if (kind === null || !Object.hasOwn(MALFORMED_LOGIN, kind)) throw new HttpError(400, 'invalid_request')
  sendJson(res, 200, MALFORMED_LOGIN[kind])
}

/** @param {RouteContext} ctx */
function redirect({ res, url }) {
  const status = Number(url.searchParams.get('status') ?? 302)
  let target
  try {
    target = new URL(url.searchParams.get('to') ?? '')
  } catch {
    throw new HttpError(400, 'invalid_request')
  }
  if (![302, 307].includes(status) || !/^https?:$/.test(target.protocol)) throw new HttpError(400, 'invalid_request')
  res.writeHead(status, { Location: target.href, 'Content-Length': 0 })
  res.end()
}

/** @param {RouteContext} ctx */
function worker({ res, params }) {
  const name = params.name ?? ''
  const source = Object.hasOwn(WORKERS, name) ? WORKERS[name] : null
  if (!source) throw new HttpError(404, 'not_found')
  res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(source)
}

/** How long /test/hold keeps a request waiting. */
const HOLD_MS = 10_000
/** Ids of /test/hold requests whose client went away before the answer: proof that an abort reached the network. */
const abandoned = new Set()
const arrived = new Set()

/**
 * Answers only after HOLD_MS; records the id when the client disconnects first.
 * @param {RouteContext} ctx
 */
function hold({ req, res, url }) {
  req.resume()
  const id = url.searchParams.get('id') ?? ''
  arrived.add(id)
  const timer = setTimeout(() => res.end('held'), HOLD_MS)
  res.on('close', () => {
    clearTimeout(timer)
    if (!res.writableFinished) abandoned.add(id)
  })
}

/**
 * Test-support routes under /test/* and the e2e fixture files under /e2e/*.
 * Registered only in test mode, so every /test/* path is a 404 otherwise.
 * @param {import('../http/router.mjs').Router<RouteContext>} router
 * @param {import('./index.mjs').TestSupport} support
 */
export function addTestSupportRoutes(router, support) {
  /** @param {() => unknown} read */
  const json =
    read =>
    (/** @type {RouteContext} */ { res }) =>
      sendJson(res, 200, read())

  router.add('POST', '/test/reset', async ({ req, res }) => {
    const body = await readJson(req, { allowEmpty: true })
    if (!isObject(body)) throw new HttpError(400, 'invalid_request')
    /** @type {Partial<import('../reference/app.mjs').Lifetimes>} */
    const overrides = {}
    for (const name of LIFETIME_NAMES) {
      const value = body[name]
      if (value === undefined) continue
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_LIFETIME) {
        throw new HttpError(400, 'invalid_request')
      }
      overrides[name] = value
    }
    const settings = await support.reset(overrides)
    sendJson(res, 200, { ok: true, settings })
  })
  router.add(
    'GET',
    '/test/tokens',
    json(() => support.recorder.tokens()),
  )
  router.add(
    'GET',
    '/test/counters',
    json(() => ({ ...support.counters })),
  )
  router.add(
    'GET',
    '/test/events',
    json(() => support.events.slice()),
  )
  router.add(
    'GET',
    '/test/second-origin-log',
    json(() => ({ requests: support.secondOriginLog.slice() })),
  )
  router.add('POST', '/test/expire-access', ({ req, res }) => {
    req.resume()
    support.store().expireAccessTokens()
    sendJson(res, 200, { ok: true })
  })
  router.add('POST', '/test/revoke-all', async ({ req, res, state }) => {
    req.resume()
    let revoked = 0
    for (const id of support.store().sessionIds()) {
      if (await state.auth.token.endSession(id, { reason: 'admin' })) revoked++
    }
    sendJson(res, 200, { ok: true, revoked })
  })
  // The recent-sign-in window of the sensitive routes, whole seconds (at least 1: the library refuses 0).
  router.add('POST', '/test/step-up', async ({ req, res, state }) => {
    const body = await readJson(req)
    const maxAge = isObject(body) ? body.maxAge : undefined
    if (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 1 || maxAge > MAX_LIFETIME)
      throw new HttpError(400, 'invalid_request')
    state.stepUpMaxAge = maxAge
    sendJson(res, 200, { ok: true, maxAge })
  })
  router.add('POST', '/test/outage', async ({ req, res }) => {
    const body = await readJson(req)
    if (!isObject(body) || typeof body.on !== 'boolean') throw new HttpError(400, 'invalid_request')
    support.outage.on = body.on
    sendJson(res, 200, { ok: true, on: support.outage.on })
  })
  router.add('POST', '/test/login-malformed', loginMalformed)
  router.add(['GET', 'POST', 'PUT', 'DELETE'], '/test/redirect', redirect)
  router.add('GET', '/test/workers/:name', worker)
  router.add('GET', '/test/hold', hold)
  router.add('GET', '/test/abandoned', ({ res, url }) => {
    const id = url.searchParams.get('id') ?? ''
    sendJson(res, 200, { arrived: arrived.has(id), abandoned: abandoned.has(id) })
  })
  router.add(
    'GET',
    '/e2e/*',
    serveFiles([join(support.root, 'e2e')], { filter: file => E2E_TYPES.test(file), connectSrc: support.connectSrc }),
  )
}
