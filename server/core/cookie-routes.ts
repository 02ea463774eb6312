import { csrfMatches, logLookup } from './authenticate.js'
import type { Ctx } from './context.js'
import { csrfTokenFor, hashSecret, isPlausibleSecret } from './crypto.js'
import { deadlinesOf } from './deadlines.js'
import { CLEAR_SITE_DATA, clearCookie, discardBody, readCookie, WireAnswer, wireError } from './http.js'

/** `GET session` (cookie mode): `{ authenticated, csrfToken, session_id, deadlines }`; not activity. @internal */
export async function sessionInfo(ctx: Ctx): Promise<WireAnswer> {
  const { opts, request, store } = ctx
  const value = readCookie(request, opts.cookieNames.session)
  const clear: [string, string][] = value !== null ? [['Set-Cookie', clearCookie(opts.cookieNames.session, 'Lax')]] : []
  if (!isPlausibleSecret(value)) return new WireAnswer(200, { authenticated: false }, clear)
  const result = await store.lookup({ hash: hashSecret(value), kind: 'cookie', now: ctx.now })
  logLookup(ctx, result)
  if (result.status !== 'ok') return new WireAnswer(200, { authenticated: false }, clear)
  const { session } = result
  return new WireAnswer(200, {
    authenticated: true,
    session_id: session.id,
    csrfToken: csrfTokenFor(value),
    ...deadlinesOf(session, ctx.now),
  })
}

/**
 * `POST logout` (cookie mode): ends the cookie's session. With a live session
 * the CSRF token must match (403 otherwise, nothing changes). Clears the
 * cookie and the site's data only when the request carried the cookie.
 * @internal
 */
export async function cookieLogout(ctx: Ctx): Promise<WireAnswer> {
  const { opts, request, store, log } = ctx
  await discardBody(request)
  const value = readCookie(request, opts.cookieNames.session)
  if (value === null) return new WireAnswer(200, { ok: true })
  const headers: [string, string][] = [['Set-Cookie', clearCookie(opts.cookieNames.session, 'Lax')], CLEAR_SITE_DATA]
  if (!isPlausibleSecret(value)) return new WireAnswer(200, { ok: true }, headers)
  const result = await store.lookup({ hash: hashSecret(value), kind: 'cookie', now: ctx.now })
  logLookup(ctx, result)
  if (result.status === 'ok') {
    if (!csrfMatches(ctx, value)) {
      log.event('csrf_rejected', { reason: 'csrf_token', request, clientAddress: ctx.clientAddress })
      return wireError(403, 'invalid_csrf_token')
    }
    const ended = await store.end({ sessionId: result.session.id, now: ctx.now })
    if (ended) log.event('logout', { sessionId: ended.id, userId: ended.userId, mode: 'cookie', reason: 'logout' })
  }
  return new WireAnswer(200, { ok: true }, headers)
}
