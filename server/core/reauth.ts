import { findSession, unauthenticated } from './authenticate.js'
import type { Ctx } from './context.js'
import { WireAnswer, wireError } from './http.js'
import { newSecrets, readJsonObject, throttleGate, throttleRelease, validUser } from './login.js'

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
  const keys = await throttleGate(ctx, body)
  if (keys instanceof WireAnswer) return keys
  const user = validUser(await opts.verifyCredentials(body))
  if (!user) return failed('credentials')
  if (user.id !== session.userId) return failed('other_user')
  await throttleRelease(ctx, keys)
  const now = opts.now()
  ctx.now = now
  const { tokens, answer } = newSecrets(ctx, session.absoluteExpiresAt, now)
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
