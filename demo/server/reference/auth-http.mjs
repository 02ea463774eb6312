import { authenticateNode, sendWebResponse, toWebRequest } from '../../../dist/server/index.js'
import { HttpError, ResponseAnswer } from '../http/http-util.mjs'

export { sendWebResponse } from '../../../dist/server/index.js'

/**
 * The request as a Web `Request` for the session library (400 for a Host it cannot use).
 * @param {import('node:http').IncomingMessage} req
 * @param {{ body?: boolean }} [opts] body: pass the body on (default true)
 */
export function webRequest(req, { body = true } = {}) {
  try {
    return toWebRequest(req, { body })
  } catch {
    throw new HttpError(400, 'invalid_request')
  }
}

/**
 * What the session library needs to know about a request besides the request itself.
 * @param {import('node:http').IncomingMessage} req
 */
export const requestContext = req => ({ clientAddress: req.socket?.remoteAddress ?? undefined })

/**
 * Answer with one of the library's session servers (404 when the path is not one of its routes).
 * @param {import('../../../dist/server/index.js').SessionServer} server
 * @param {{ req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse }} ctx
 * @param {Request} [request] default: the incoming request
 * @returns {Promise<Response>} the answer sent
 */
export async function answerWith(server, { req, res }, request = webRequest(req)) {
  const response = await server.handle(request, requestContext(req))
  if (!response) {
    req.resume()
    throw new HttpError(404, 'not_found')
  }
  await sendWebResponse(res, response)
  return response
}

/**
 * The live token-mode session of the request's bearer token, counted as
 * activity (unless `touch` is false); otherwise throws the library's 401 (`WWW-Authenticate: Bearer
 * error="invalid_token"`). The session: `{ user, userId, sessionId, createdAt,
 * idleExpiresAt, absoluteExpiresAt, claims }`.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./app.mjs').ReferenceState} state
 * @param {{ maxAge?: number, touch?: boolean }} [options] maxAge: a sensitive action (the RFC 9470 challenge
 *   for an older sign-in); touch: false when the request is not activity (default true)
 */
export async function requireSession(req, state, options = {}) {
  const found = await authenticateNode(state.auth.token, req, options)
  if (found instanceof Response) {
    req.resume()
    throw new ResponseAnswer(found)
  }
  return { ...found, user: found.userId }
}

/**
 * Wrap a handler of an authenticated API: requires a live session (401
 * otherwise), counts the call as activity, and passes `session` on.
 * @param {(ctx: SessionContext) => unknown} handler
 * @returns {(ctx: import('./app.mjs').RouteContext) => Promise<unknown>}
 */
export function withSession(handler) {
  return async ctx => handler({ ...ctx, session: await requireSession(ctx.req, ctx.state) })
}

/**
 * {@link withSession} for a sensitive action: the sign-in (or the latest
 * re-authentication) must be at most `state.stepUpMaxAge` seconds old, or the
 * library answers the RFC 9470 step-up challenge and the handler does not run.
 * @param {(ctx: SessionContext) => unknown} handler
 * @returns {(ctx: import('./app.mjs').RouteContext) => Promise<unknown>}
 */
export function withRecentSession(handler) {
  return async ctx =>
    handler({ ...ctx, session: await requireSession(ctx.req, ctx.state, { maxAge: ctx.state.stepUpMaxAge }) })
}

/**
 * @typedef {Awaited<ReturnType<typeof requireSession>>} TokenSession
 * @typedef {import('./app.mjs').RouteContext & { session: TokenSession }} SessionContext what `withSession` handlers get
 */
