import { type Found, findSession } from './authenticate.js'
import type { Ctx } from './context.js'
import { deadlinesOf } from './deadlines.js'
import { discardBody, WireAnswer, wireError } from './http.js'
import type { SessionRecord } from './store.js'

/**
 * `POST keepalive` (activity) and `POST status` (not activity): the session's
 * deadlines. Status changes nothing, so cookie mode asks no CSRF token of it
 * (the guard's `Session-Vault` header and `Sec-Fetch-Site` checks still apply):
 * a monitor learns the session's fate even with a token gone stale. @internal
 */
export async function deadlines(ctx: Ctx, touch: boolean): Promise<WireAnswer> {
  await discardBody(ctx.request)
  const found = await findSession(ctx, touch, { csrf: touch })
  if (found instanceof WireAnswer) return found
  return new WireAnswer(200, deadlinesOf(found.session, ctx.now))
}

function view(session: SessionRecord, current: Found) {
  const { id, createdAt, lastSeenAt, userAgent, mode, idleExpiresAt, absoluteExpiresAt } = session
  return {
    id,
    current: id === current.session.id,
    mode,
    createdAt,
    lastSeenAt,
    userAgent,
    idleExpiresAt,
    absoluteExpiresAt,
  }
}

/** `GET sessions`: the signed-in user's live sessions, oldest first. @internal */
export async function listSessions(ctx: Ctx): Promise<WireAnswer> {
  const found = await findSession(ctx, true)
  if (found instanceof WireAnswer) return found
  const sessions = await ctx.store.list({ userId: found.session.userId, now: ctx.now })
  return new WireAnswer(200, { sessions: sessions.map(s => view(s, found)) })
}

/** `DELETE sessions/<id>`: end one of the user's sessions; 404 for any other id (unknown or someone else's). @internal */
export async function revokeOne(ctx: Ctx, id: string): Promise<WireAnswer> {
  await discardBody(ctx.request)
  const found = await findSession(ctx, true)
  if (found instanceof WireAnswer) return found
  const ended = await ctx.store.end({ sessionId: id, userId: found.session.userId, now: ctx.now })
  if (!ended) return wireError(404, 'not_found')
  ctx.log.event('revoked', {
    sessionId: ended.id,
    userId: ended.userId,
    reason: ended.id === found.session.id ? 'self' : 'user',
  })
  return new WireAnswer(200, { ok: true })
}

/** `POST revoke-others`: end every other session of the user ("sign out everywhere else"). @internal */
export async function revokeOthers(ctx: Ctx): Promise<WireAnswer> {
  await discardBody(ctx.request)
  const found = await findSession(ctx, true)
  if (found instanceof WireAnswer) return found
  const { revoked } = await ctx.store.revokeUser({
    userId: found.session.userId,
    except: found.session.id,
    now: ctx.now,
  })
  for (const s of revoked) ctx.log.event('revoked', { sessionId: s.id, userId: s.userId, reason: 'others' })
  return new WireAnswer(200, { ok: true, revoked: revoked.length })
}
