// The classic site's view of session-vault/server's cookie mode: the live session of a request,
// the library's answer to one of its own routes, and requests derived for it from form posts.
import { parseCookies } from '../http/http-util.mjs'
import { requestContext, webRequest } from './auth-http.mjs'
import { SESSION_COOKIE } from './classic-auth.mjs'

/**
 * @typedef {import('../../../dist/server/index.js').AuthenticatedSession & { user: string, mode: 'cookie', csrfToken: string }} CookieSession
 *   (cookie mode: the library always gives the session's CSRF token)
 */

/**
 * The request, for the cookie-mode session server, with changes: headers to
 * set (e.g. the CSRF token of a form field as `X-CSRF-Token`) and a JSON body.
 * The demo's form routes check what the library cannot see (the login form's
 * CSRF token) and hand it the rest.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ headers?: Record<string, string>, drop?: string[], json?: unknown }} [opts] drop: headers to leave out
 */
export function derivedRequest(req, { headers = {}, drop = [], json } = {}) {
  const base = webRequest(req, { body: false })
  const merged = new Headers(base.headers)
  for (const name of drop) merged.delete(name)
  for (const [name, value] of Object.entries(headers)) merged.set(name, value)
  merged.delete('content-length')
  if (json !== undefined) merged.set('Content-Type', 'application/json')
  return new Request(base.url, {
    method: req.method,
    headers: merged,
    ...(json !== undefined && { body: JSON.stringify(json) }),
  })
}

/**
 * The cookie-mode session server's answer to a request for one of its own routes.
 * @param {import('./app.mjs').RouteContext} ctx
 * @param {Request} [request] default: the incoming request
 * @returns {Promise<Response>}
 */
export async function cookieAnswer({ req, state }, request = webRequest(req)) {
  const response = await state.auth.cookie.handle(request, requestContext(req))
  if (!response) throw new Error(`not a route of the cookie-mode session server: ${new URL(request.url).pathname}`)
  return response
}

/**
 * The live cookie-mode session of a request, from session-vault/server
 * (counted as activity unless `touch` is false), or the library's answer
 * (401 + the cleared cookie when one came with the request; 403 for a failed
 * CSRF check of a state-changing method).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./app.mjs').ReferenceState} state
 * @param {{ request?: Request, touch?: boolean, maxAge?: number }} [opts] maxAge: a sensitive action (step-up)
 * @returns {Promise<CookieSession | Response>}
 */
export async function classicSession(
  req,
  state,
  { request = webRequest(req, { body: false }), touch = true, maxAge } = {},
) {
  const found = await state.auth.cookie.authenticate(request, {
    ...requestContext(req),
    touch,
    ...(maxAge !== undefined && { maxAge }),
  })
  if (found instanceof Response) return found
  return { ...found, csrfToken: found.csrfToken ?? '', user: found.userId, mode: 'cookie' }
}

/**
 * Whether the request carries a session cookie that names no live session.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./app.mjs').ReferenceState} state
 */
export async function hasStaleCookie(req, state) {
  if (!parseCookies(req).get(SESSION_COOKIE)) return false
  return (await classicSession(req, state, { touch: false })) instanceof Response
}
