import { authenticateNode } from '../../../../dist/server/index.js'
import { requireSession, sendWebResponse } from '../auth-http.mjs'
import { classicSession } from '../classic-session.mjs'
import { streamFeed } from '../event-feed.mjs'

/** Neither opening the feed nor keeping it open is user activity: the session's idle timer is left alone. */
const NOT_ACTIVITY = { touch: false }

/**
 * `GET /api/events`, token mode: the feed for a live bearer token (401 with
 * `WWW-Authenticate` otherwise); the stream ends once that token no longer
 * authenticates (expired, revoked, logged out).
 * @param {import('../app.mjs').RouteContext} ctx
 */
async function tokenFeed(ctx) {
  const { req, state } = ctx
  const session = await requireSession(req, state, NOT_ACTIVITY)
  const stillValid = async () => !((await authenticateNode(state.auth.token, req, NOT_ACTIVITY)) instanceof Response)
  streamFeed({ ...ctx, log: state.log, session, stillValid })
}

/**
 * `GET /classic/api/events`, cookie mode: the feed for a live session
 * cookie (the library's 401 otherwise); the stream ends with the session.
 * @param {import('../app.mjs').RouteContext} ctx
 */
async function cookieFeed(ctx) {
  const { req, res, state } = ctx
  const session = await classicSession(req, state, NOT_ACTIVITY)
  if (session instanceof Response) {
    req.resume()
    return sendWebResponse(res, session)
  }
  const stillValid = async () => !((await classicSession(req, state, NOT_ACTIVITY)) instanceof Response)
  streamFeed({ ...ctx, log: state.log, session, stillValid })
}

/**
 * The live feed (`reference/event-feed.mjs`), in both session modes, authenticated as the other APIs are.
 * @param {import('../../http/router.mjs').Router<import('../app.mjs').RouteContext>} router
 */
export function addEventRoutes(router) {
  router.add('GET', '/api/events', tokenFeed)
  router.add('GET', '/classic/api/events', cookieFeed)
}
