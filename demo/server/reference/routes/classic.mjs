import { join } from 'node:path'
import { jsonScriptData } from '../../http/html.mjs'
import { clientFields, HttpError, isObject, readBody, readJson, sendEmpty, sendJson } from '../../http/http-util.mjs'
import { applyPageHeaders } from '../../http/security-headers.mjs'
import { resolveInside, sendFile } from '../../http/static-files.mjs'
import { sendWebResponse } from '../auth-http.mjs'
import {
  CLEAR_PRE_COOKIE,
  CLEAR_SESSION_COOKIE,
  CSRF_HEADER,
  createLoginCsrf,
  isUnsafeMethod,
  presentedCsrf,
  readForm,
} from '../classic-auth.mjs'
import { classicSession, cookieAnswer, derivedRequest, hasStaleCookie } from '../classic-session.mjs'
import {
  classicSdkConfig,
  homePage,
  loginPage,
  otherPage,
  refusedPage,
  SIGNED_OUT_URL,
  signedOutPage,
} from '../classic-views.mjs'
import { addNote, deleteNotes, notesOf } from '../notes.mjs'

const HOME_URL = '/classic/'
const LOGIN_URL = '/classic/login'
const RETRY_HOME = { retryUrl: HOME_URL, retryLabel: 'Back to your notes' }
const RETRY_LOGIN = { retryUrl: LOGIN_URL, retryLabel: 'Back to sign in' }
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
/** Largest body `/classic/api/echo` reads, bytes. */
const ECHO_LIMIT = 1024 * 1024
/** Retry-After of a throttled login when the library's answer has none, seconds. */
const MIN_RETRY_AFTER = 1
const STATIC_TYPES = /\.(css|svg|js)$/

/**
 * @typedef {import('../app.mjs').RouteContext} RouteContext
 * @typedef {import('../classic-session.mjs').CookieSession} CookieSession
 * @typedef {RouteContext & { session: CookieSession, user: { username: string, name: string }, form: URLSearchParams | null }} SignedInContext
 * @typedef {ReturnType<typeof createLoginCsrf>} LoginCsrf
 * @typedef {Record<string, string | string[]>} Headers
 */

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {import('../../http/html.mjs').Html} markup
 * @param {Headers} [headers]
 */
function sendHtml(res, status, markup, headers = {}) {
  applyPageHeaders(res)
  const data = Buffer.from(String(markup))
  res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': data.length })
  res.end(data)
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {string} location
 * @param {Headers} [headers]
 */
function redirect(res, location, headers = {}) {
  sendEmpty(res, 303, { ...headers, Location: location, 'Content-Length': '0' })
}

/**
 * The text of a signed-in page's `<script type="application/json">` SDK configuration.
 * @typedef {(url: URL, settings: import('../app.mjs').Lifetimes) => import('../../http/html.mjs').Html} SdkConfigScript
 */

/** @type {SdkConfigScript} */
export const standardSdkConfig = (_url, settings) => jsonScriptData(classicSdkConfig(settings))

/** @param {Response} response */
const setCookiesOf = response => response.headers.getSetCookie()

/**
 * 403 for a missing or wrong login-form CSRF token (the library logs its own refusals).
 * @param {RouteContext} ctx
 * @param {{ retryUrl: string, retryLabel: string }} retry
 */
function refuse({ req, res, state, url }, retry) {
  state.log.event('csrf_rejected', null, { mode: 'cookie', path: url.pathname, ...clientFields(req) })
  req.resume()
  sendHtml(res, 403, refusedPage(retry))
}

/**
 * Wrap a handler that needs a signed-in user. No live session: HTML routes
 * redirect to the login page (303), JSON routes answer the library's 401
 * `invalid_session`; a stale cookie is cleared. State-changing methods need
 * the session's CSRF token (HTML routes: header or form field `csrf`; JSON
 * routes: header) or get 403. Then the request counts as activity and the
 * handler gets `session`, `user` and `form` (HTML routes with a
 * state-changing method; else null).
 * @param {(ctx: SignedInContext) => unknown} handler
 * @param {{ json?: boolean, recent?: boolean }} [opts] recent: a sensitive action (a sign-in at most `state.stepUpMaxAge` seconds old)
 * @returns {(ctx: RouteContext) => Promise<unknown>}
 */
function signedIn(handler, { json = false, recent = false } = {}) {
  return async ctx => {
    const { req, res, state } = ctx
    /** @type {URLSearchParams | null} */
    let form = null
    /** @type {Request | undefined} */
    let request
    if (isUnsafeMethod(req.method ?? 'GET') && !json) {
      form = await readForm(req)
      const csrf = presentedCsrf(req, form)
      request = derivedRequest(req, { headers: csrf ? { [CSRF_HEADER]: csrf } : {} })
    }
    const session = await classicSession(req, state, {
      ...(request && { request }),
      ...(recent && { maxAge: state.stepUpMaxAge }),
    })
    if (session instanceof Response) {
      req.resume()
      if (json || session.status >= 500) return sendWebResponse(res, session)
      if (session.status === 403) return sendHtml(res, 403, refusedPage(RETRY_HOME))
      return redirect(res, LOGIN_URL, { 'Set-Cookie': setCookiesOf(session) })
    }
    const user = state.users.get(session.user) ?? { username: session.user, name: session.user }
    return handler({ ...ctx, session, user, form })
  }
}

/**
 * @param {RouteContext} ctx
 * @param {LoginCsrf} loginCsrf
 * @param {{ status?: number, retryAfter?: number }} [opts] retryAfter: seconds (throttled)
 */
async function showLogin({ req, res, url, state }, loginCsrf, { status = 200, retryAfter = 0 } = {}) {
  const stale = await hasStaleCookie(req, state)
  if (url.searchParams.get('signed-out') === '1') {
    return sendHtml(res, 200, signedOutPage(), stale ? { 'Set-Cookie': [CLEAR_SESSION_COOKIE] } : {})
  }
  const { token, setCookie } = loginCsrf.issue(req)
  const cookies = [setCookie, stale ? CLEAR_SESSION_COOKIE : null].filter(value => value !== null)
  const view = {
    csrfToken: token,
    failed: retryAfter === 0 && url.searchParams.get('error') === '1',
    retryAfter,
  }
  /** @type {Headers} */
  const headers = cookies.length > 0 ? { 'Set-Cookie': cookies } : {}
  if (retryAfter > 0) headers['Retry-After'] = String(retryAfter)
  sendHtml(res, status, loginPage(view), headers)
}

/**
 * The form login: the demo checks the login form's CSRF token, then the
 * cookie-mode session server logs in (throttling, a new session id every
 * time, the session a carried cookie names ended, logins that checked a
 * password changed meanwhile refused) and sets the session cookie.
 * @param {RouteContext} ctx
 * @param {LoginCsrf} loginCsrf
 */
async function login(ctx, loginCsrf) {
  const { req, res } = ctx
  const form = await readForm(req)
  if (!loginCsrf.verify(req, presentedCsrf(req, form))) return refuse(ctx, RETRY_LOGIN)
  const credentials = { username: form.get('username'), password: form.get('password') }
  // The form's own CSRF check stands in for the library's guard (a form cannot send Session-Vault).
  const request = derivedRequest(req, {
    headers: { 'Session-Vault': '1' },
    drop: ['origin', 'sec-fetch-site'],
    json: credentials,
  })
  const response = await cookieAnswer(ctx, request)
  if (response.status === 200) {
    await response.arrayBuffer()
    return redirect(res, HOME_URL, { 'Set-Cookie': [...setCookiesOf(response), CLEAR_PRE_COOKIE] })
  }
  if (response.status === 429) {
    await response.arrayBuffer()
    const retryAfter = Number(response.headers.get('retry-after')) || MIN_RETRY_AFTER
    return showLogin(ctx, loginCsrf, { status: 429, retryAfter })
  }
  if (response.status >= 500) return sendWebResponse(res, response)
  await response.arrayBuffer()
  redirect(res, `${LOGIN_URL}?error=1`)
}

/**
 * Sign out. The SDK's own call (`Session-Vault: 1`, CSRF header) goes to the
 * cookie-mode session server as it is and gets its 200 + Clear-Site-Data
 * (WebKit ignores Clear-Site-Data on a redirect). A plain form post hands the
 * library the form's CSRF token and is redirected to the signed-out page.
 * With a live session the CSRF token must match; a cross-site request is
 * refused before anything runs (Clear-Site-Data would wipe the site's cookies).
 * @param {RouteContext} ctx
 */
async function logout(ctx) {
  const { req, res } = ctx
  if (req.headers['session-vault'] === '1') return void (await sendWebResponse(res, await cookieAnswer(ctx)))
  const form = await readForm(req)
  const csrf = presentedCsrf(req, form)
  const request = derivedRequest(req, { headers: { 'Session-Vault': '1', ...(csrf && { [CSRF_HEADER]: csrf }) } })
  const response = await cookieAnswer(ctx, request)
  await response.arrayBuffer()
  if (response.status === 403) return sendHtml(res, 403, refusedPage(RETRY_HOME))
  if (response.status !== 200) return sendJson(res, response.status, { error: 'temporarily_unavailable' })
  redirect(res, SIGNED_OUT_URL, { 'Set-Cookie': CLEAR_SESSION_COOKIE, 'Clear-Site-Data': CLEAR_SITE_DATA })
}

/**
 * `/classic/session` and `/classic/keepalive`: the cookie-mode session server's own.
 * @param {RouteContext} ctx
 */
async function sessionRoute(ctx) {
  await sendWebResponse(ctx.res, await cookieAnswer(ctx))
}

/** @param {SignedInContext} ctx */
function addNoteFromForm({ res, state, session, form }) {
  try {
    addNote(state.notes, session.user, form?.get('text'))
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) return redirect(res, `${HOME_URL}?note-error=1`)
    throw error
  }
  redirect(res, HOME_URL)
}

/** @param {SignedInContext} ctx */
async function apiNotes({ req, res, state, session }) {
  if (req.method === 'GET' || req.method === 'HEAD')
    return sendJson(res, 200, { notes: notesOf(state.notes, session.user) })
  const body = await readJson(req)
  sendJson(res, 201, addNote(state.notes, session.user, isObject(body) ? body.text : undefined))
}

/** @param {SignedInContext} ctx */
function apiDeleteNotes({ req, res, state, session }) {
  req.resume()
  sendJson(res, 200, { deleted: deleteNotes(state.notes, session.user) })
}

/** @param {SignedInContext} ctx */
async function apiEcho({ req, res }) {
  const body = await readBody(req, ECHO_LIMIT)
  sendJson(res, 200, {
    method: req.method,
    csrfHeader: req.headers['x-csrf-token'] !== undefined,
    contentType: req.headers['content-type'] ?? null,
    bodyLength: body.length,
  })
}

/**
 * `/classic/`: a server-rendered site with a form login and cookie sessions
 * from session-vault/server's cookie mode (`__Host-sv_s`, new id at every
 * login, CSRF token per session; login CSRF via `__Host-sv_pre` is the
 * demo's), the SDK added with one script tag, and the cookie-mode wire
 * endpoints (`/classic/session`, `/classic/keepalive`, `/classic/status`,
 * `/classic/reauth`, `/classic/logout`, `/classic/api/*`). Sessions live in the shared store, with the same timeouts.
 * @param {import('../../http/router.mjs').Router<import('../app.mjs').RouteContext>} router
 * @param {{ root: string, sdkConfig?: SdkConfigScript }} opts root: the repository root;
 *   sdkConfig: the SDK configuration of a signed-in page (default: `standardSdkConfig`)
 */
export function addClassicRoutes(router, { root, sdkConfig = standardSdkConfig }) {
  const loginCsrf = createLoginCsrf()
  const staticDir = join(root, 'demo', 'classic')

  router.add('GET', '/classic', ({ res }) => redirect(res, HOME_URL))
  router.add('GET', '/classic/login', ctx => showLogin(ctx, loginCsrf))
  router.add('POST', '/classic/login', ctx => login(ctx, loginCsrf))
  router.add('POST', '/classic/logout', logout)
  router.add(
    'GET',
    '/classic/',
    signedIn(({ res, url, state, session, user }) => {
      const noteError = url.searchParams.get('note-error') === '1'
      const notes = notesOf(state.notes, session.user)
      sendHtml(res, 200, homePage({ user, session, notes, noteError, sdkConfig: sdkConfig(url, state.settings) }))
    }),
  )
  router.add(
    'GET',
    '/classic/other',
    signedIn(({ res, url, state, session, user }) => {
      sendHtml(res, 200, otherPage({ user, session, sdkConfig: sdkConfig(url, state.settings) }))
    }),
  )
  router.add('POST', '/classic/notes', signedIn(addNoteFromForm))
  router.add('GET', '/classic/session', sessionRoute)
  router.add('POST', '/classic/keepalive', sessionRoute)
  router.add('POST', '/classic/status', sessionRoute)
  router.add('POST', '/classic/reauth', sessionRoute)
  router.add(['GET', 'POST'], '/classic/api/notes', signedIn(apiNotes, { json: true }))
  // Sensitive: a sign-in from the last few minutes, else the RFC 9470 step-up challenge.
  router.add('DELETE', '/classic/api/notes', signedIn(apiDeleteNotes, { json: true, recent: true }))
  router.add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/classic/api/echo', signedIn(apiEcho, { json: true }))
  router.add('GET', '/classic/static/*', async ({ req, res, params }) => {
    const file = resolveInside(staticDir, params.rest ?? '')
    if (!(file && STATIC_TYPES.test(file) && (await sendFile(req, res, file)))) throw new HttpError(404, 'not_found')
  })
}
