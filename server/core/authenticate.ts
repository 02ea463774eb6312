import type { Ctx } from './context.js'
import { csrfTokenFor, hashSecret, isPlausibleSecret, safeEqual } from './crypto.js'
import { crossSiteReason, isUnsafeMethod } from './guard.js'
import { bearerToken, clearCookie, readCookie, type WireAnswer, wireError } from './http.js'
import type { LookupResult, SessionRecord } from './store.js'

/** A live session found for a request. @internal */
export interface Found {
  session: SessionRecord
  /** Cookie mode: the session cookie value (to derive the CSRF token). */
  cookieValue?: string
}

const INVALID_TOKEN: [string, string] = ['WWW-Authenticate', 'Bearer error="invalid_token"']
const INVALID_SESSION: [string, string] = ['WWW-Authenticate', 'Cookie error="invalid_session"']

/** Log what a lookup ended or refused. @internal */
export function logLookup(ctx: Ctx, result: LookupResult): void {
  if (result.status === 'expired') {
    ctx.log.event(result.reason === 'idle' ? 'expired_idle' : 'expired_absolute', {
      sessionId: result.session.id,
      userId: result.session.userId,
      mode: result.session.mode,
    })
  }
}

/** The 401 of a request without a live session. @internal */
export function unauthenticated(ctx: Ctx, carriedCookie: boolean): WireAnswer {
  if (ctx.opts.mode === 'token') return wireError(401, 'invalid_token', [INVALID_TOKEN])
  const headers: [string, string][] = [INVALID_SESSION]
  if (carriedCookie) headers.push(['Set-Cookie', clearCookie(ctx.opts.cookieNames.session, 'Lax')])
  return wireError(401, 'invalid_session', headers)
}

/** Whether a cookie-mode request presents the session's CSRF token. @internal */
export function csrfMatches(ctx: Ctx, cookieValue: string): boolean {
  const presented = ctx.request.headers.get(ctx.opts.csrfHeader)
  return presented !== null && safeEqual(presented, csrfTokenFor(cookieValue))
}

/**
 * The live session of a request (bearer token, or session cookie + CSRF on
 * state-changing methods), or the answer to refuse it with. `touch`: count
 * the request as activity. `csrf: false` (a route that changes nothing, run
 * behind `handle`'s guard): no CSRF token asked of a cookie-mode POST.
 * @internal
 */
export async function findSession(
  ctx: Ctx,
  touch: boolean,
  { csrf = true }: { csrf?: boolean } = {},
): Promise<Found | WireAnswer> {
  const { opts, request } = ctx
  const touchIdleMs = touch ? opts.idleTimeoutMs : undefined
  if (opts.mode === 'token') {
    const token = bearerToken(request)
    if (!isPlausibleSecret(token)) {
      if (token !== null)
        ctx.log.event('token_rejected', { reason: 'malformed', request, clientAddress: ctx.clientAddress })
      return unauthenticated(ctx, false)
    }
    const result = await ctx.store.lookup({
      hash: hashSecret(token),
      kind: 'access',
      now: ctx.now,
      ...(touchIdleMs && { touchIdleMs }),
    })
    logLookup(ctx, result)
    if (result.status === 'ok') return { session: result.session }
    ctx.log.event('token_rejected', { reason: result.status, request, clientAddress: ctx.clientAddress })
    return unauthenticated(ctx, false)
  }
  const cookieValue = readCookie(request, opts.cookieNames.session)
  if (!isPlausibleSecret(cookieValue)) return unauthenticated(ctx, cookieValue !== null)
  if (csrf && isUnsafeMethod(request.method)) {
    const crossSite = crossSiteReason(request, opts.allowedOrigins)
    if (crossSite || !csrfMatches(ctx, cookieValue)) {
      ctx.log.event('csrf_rejected', { reason: crossSite ?? 'csrf_token', request, clientAddress: ctx.clientAddress })
      return wireError(403, crossSite ?? 'invalid_csrf_token')
    }
  }
  const result = await ctx.store.lookup({
    hash: hashSecret(cookieValue),
    kind: 'cookie',
    now: ctx.now,
    ...(touchIdleMs && { touchIdleMs }),
  })
  logLookup(ctx, result)
  if (result.status === 'ok') return { session: result.session, cookieValue }
  ctx.log.event('token_rejected', { reason: result.status, mode: 'cookie', request, clientAddress: ctx.clientAddress })
  return unauthenticated(ctx, true)
}
