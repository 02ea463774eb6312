import { findSession, unauthenticated } from './authenticate.js'
import type { Ctx } from './context.js'
import { csrfTokenFor } from './crypto.js'
import { deadlinesOf } from './deadlines.js'
import { setCookie, WireAnswer, wireError } from './http.js'
import { mintTokenPair, readJsonObject, throttleKeysFor, tokenAnswer, validUser } from './login.js'
import type { NewToken, SessionRecord } from './store.js'
import { mint } from './tokens.js'

/**
 * `POST reauth` (step-up): the credentials again, for the session the request
 * carries (bearer token; cookie + CSRF header). Refused credentials, or
 * another user's, answer 403 and change nothing. Accepted ones give the
 * session a fresh `authTime`, count as activity and replace its secrets; the
 * public id and the absolute deadline stay.
 * @internal
 */
export async function reauth(ctx: Ctx): Promise<WireAnswer> {
  const { opts, request, store, log } = ctx
  const body = await readJsonObject(ctx)
  if (body instanceof WireAnswer) return body
  const found = await findSession(ctx, false)
  if (found instanceof WireAnswer) return found
  const { session } = found
  const failed = (reason: string) => {
    log.event('reauth_failed', {
      sessionId: session.id,
      userId: session.userId,
      reason,
      request,
      clientAddress: ctx.clientAddress,
    })
    return wireError(403, 'invalid_credentials')
  }
  const keys = opts.throttle ? throttleKeysFor(ctx, opts.throttle.accountKey(body)) : null
  if (keys && keys.length > 0) {
    const { retryAfter } = await store.throttleHit({ keys, now: ctx.now })
    if (retryAfter > 0) {
      log.event('login_throttled', { retryAfter, request, clientAddress: ctx.clientAddress })
      return wireError(429, 'too_many_requests', [['Retry-After', String(retryAfter)]])
    }
  }
  const user = validUser(await opts.verifyCredentials(body))
  if (!user) return failed('credentials')
  if (user.id !== session.userId) return failed('other_user')
  for (const { key } of keys ?? []) await store.throttleClear({ key, mode: key.startsWith('a:') ? 'reset' : 'undo' })
  const now = opts.now()
  ctx.now = now
  let tokens: NewToken[]
  let answer: (renewed: SessionRecord) => WireAnswer
  if (opts.mode === 'token') {
    const pair = mintTokenPair(ctx, session.absoluteExpiresAt)
    tokens = pair.tokens
    answer = renewed => tokenAnswer(ctx, renewed, pair.access.secret, pair.refresh.secret)
  } else {
    const cookie = mint('cookie', session.absoluteExpiresAt)
    tokens = [cookie.token]
    answer = renewed =>
      new WireAnswer(
        200,
        {
          authenticated: true,
          session_id: renewed.id,
          csrfToken: csrfTokenFor(cookie.secret),
          ...deadlinesOf(renewed, now),
        },
        [['Set-Cookie', setCookie(opts.cookieNames.session, cookie.secret, { sameSite: 'Lax', maxAgeMs: null })]],
      )
  }
  const result = await store.renew({
    sessionId: session.id,
    userId: session.userId,
    tokens,
    now,
    endOthers: false,
    authTime: now,
    touchIdleMs: opts.idleTimeoutMs,
  })
  // Ended meanwhile (revoked, expired): nothing changed.
  if (result.status !== 'ok') return unauthenticated(ctx, opts.mode === 'cookie')
  log.event('reauth', { sessionId: session.id, userId: session.userId, mode: session.mode })
  return answer(result.session)
}
