import { createHash } from 'node:crypto'
import type { Ctx } from './context.js'
import { csrfTokenFor, hashSecret, isPlausibleSecret, randomId } from './crypto.js'
import { deadlinesOf } from './deadlines.js'
import { BodyTooLarge, isObject, mediaType, readBody, readCookie, setCookie, WireAnswer, wireError } from './http.js'
import type { TokenKind } from './names.js'
import type { VerifiedUser } from './options.js'
import type { NewToken, SessionRecord } from './store.js'
import { mint } from './tokens.js'

const MAX_CLAIMS_BYTES = 4096

/** Read a JSON object body, or the 4xx to answer. @internal */
export async function readJsonObject(ctx: Ctx): Promise<Record<string, unknown> | WireAnswer> {
  if (mediaType(ctx.request) !== 'application/json') return wireError(415, 'unsupported_media_type')
  let text: string
  try {
    text = await readBody(ctx.request, ctx.opts.maxBodyBytes)
  } catch (error) {
    return error instanceof BodyTooLarge ? wireError(413, 'payload_too_large') : wireError(400, 'invalid_request')
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return wireError(400, 'invalid_request')
  }
  return isObject(body) ? body : wireError(400, 'invalid_request')
}

/** A `verifyCredentials` answer, checked: `{ id, claims? }` within limits, or null. @internal */
export function validUser(value: unknown): VerifiedUser | null {
  if (!isObject(value) || typeof value.id !== 'string' || value.id.length === 0 || value.id.length > 256) return null
  if (value.claims !== undefined && !isObject(value.claims)) return null
  if (value.claims && Buffer.byteLength(JSON.stringify(value.claims)) > MAX_CLAIMS_BYTES) return null
  return value as unknown as VerifiedUser
}

/** The throttle keys of an account name (as `accountKey` gives it) and the request's client address, or null when throttling is off. @internal */
export function throttleKeysFor(ctx: Ctx, account: string | null) {
  const throttle = ctx.opts.throttle
  if (!throttle) return null
  const keys: { key: string; policy: typeof throttle.account }[] = []
  if (account)
    keys.push({ key: `a:${createHash('sha256').update(account).digest('hex').slice(0, 32)}`, policy: throttle.account })
  if (ctx.clientAddress) keys.push({ key: `c:${ctx.clientAddress.slice(0, 64)}`, policy: throttle.client })
  return keys
}

type ThrottleKeys = ReturnType<typeof throttleKeysFor>

/** Counts a credential check (login, reauth) against its throttle keys: the keys, or the 429 to answer. @internal */
export async function throttleGate(ctx: Ctx, credentials: Record<string, unknown>): Promise<ThrottleKeys | WireAnswer> {
  const keys = ctx.opts.throttle ? throttleKeysFor(ctx, ctx.opts.throttle.accountKey(credentials)) : null
  if (keys && keys.length > 0) {
    const { retryAfter } = await ctx.store.throttleHit({ keys, now: ctx.now })
    if (retryAfter > 0) {
      ctx.log.event('login_throttled', { retryAfter, request: ctx.request, clientAddress: ctx.clientAddress })
      return wireError(429, 'too_many_requests', [['Retry-After', String(retryAfter)]])
    }
  }
  return keys
}

/** After good credentials: the account's count starts again, the address's attempt is taken back. @internal */
export async function throttleRelease(ctx: Ctx, keys: ThrottleKeys): Promise<void> {
  for (const { key } of keys ?? [])
    await ctx.store.throttleClear({ key, mode: key.startsWith('a:') ? 'reset' : 'undo' })
}

/**
 * New secrets for a session (token mode: access + refresh; cookie mode: the session cookie) and the
 * answer that hands them over once the store took them (login, reauth). @internal
 */
export function newSecrets(ctx: Ctx, absoluteExpiresAt: number, now: number) {
  const { opts } = ctx
  if (opts.mode === 'token') {
    const pair = mintTokenPair(ctx, absoluteExpiresAt)
    return {
      tokens: pair.tokens,
      answer: (s: SessionRecord) => tokenAnswer(ctx, s, pair.access.secret, pair.refresh.secret),
    }
  }
  const cookie = mint('cookie', absoluteExpiresAt)
  return {
    tokens: [cookie.token] as NewToken[],
    answer: (s: SessionRecord) =>
      new WireAnswer(
        200,
        { authenticated: true, session_id: s.id, csrfToken: csrfTokenFor(cookie.secret), ...deadlinesOf(s, now) },
        [['Set-Cookie', setCookie(opts.cookieNames.session, cookie.secret, { sameSite: 'Lax', maxAgeMs: null })]],
      ),
  }
}

/** The secrets of a session's earlier login that this request still carries (ended by the new login). */
function carriedSecrets(ctx: Ctx): { hash: string; kind: TokenKind }[] {
  const { opts, request } = ctx
  const name = opts.mode === 'token' ? opts.cookieNames.refresh : opts.cookieNames.session
  const value = readCookie(request, name)
  if (!isPlausibleSecret(value)) return []
  return [{ hash: hashSecret(value), kind: opts.mode === 'token' ? 'refresh' : 'cookie' }]
}

/**
 * The answer to a new or rotated token-mode session: RFC 6749 5.1 + `session_id` and the
 * session's deadlines (so a restore learns the absolute one). @internal
 */
export function tokenAnswer(ctx: Ctx, session: SessionRecord, access: string, refresh: string): WireAnswer {
  const expiresIn = Math.max(
    1,
    Math.floor((Math.min(ctx.now + ctx.opts.accessTokenTtlMs, session.absoluteExpiresAt) - ctx.now) / 1000),
  )
  const body: Record<string, unknown> = {
    access_token: access,
    token_type: 'Bearer',
    expires_in: expiresIn,
    session_id: session.id,
    ...deadlinesOf(session, ctx.now),
  }
  const headers: [string, string][] = []
  if (ctx.opts.refreshToken === 'body') body.refresh_token = refresh
  else {
    const maxAgeMs = Math.min(ctx.opts.refreshTokenTtlMs, session.absoluteExpiresAt - ctx.now)
    headers.push(['Set-Cookie', setCookie(ctx.opts.cookieNames.refresh, refresh, { sameSite: 'Strict', maxAgeMs })])
  }
  return new WireAnswer(200, body, headers)
}

/** New access + refresh secrets for a token-mode session. @internal */
export function mintTokenPair(ctx: Ctx, absoluteExpiresAt: number) {
  const access = mint('access', Math.min(ctx.now + ctx.opts.accessTokenTtlMs, absoluteExpiresAt))
  const refresh = mint('refresh', Math.min(ctx.now + ctx.opts.refreshTokenTtlMs, absoluteExpiresAt))
  return { access, refresh, tokens: [access.token, refresh.token] as NewToken[] }
}

/** `POST login`: credentials (JSON) -> a new session with a new id. @internal */
export async function login(ctx: Ctx): Promise<WireAnswer> {
  const { opts, request, store, log } = ctx
  const body = await readJsonObject(ctx)
  if (body instanceof WireAnswer) {
    log.event('login_failed', { reason: 'bad_request', request, clientAddress: ctx.clientAddress })
    return body
  }
  const keys = await throttleGate(ctx, body)
  if (keys instanceof WireAnswer) return keys
  const startedAt = ctx.now
  const user = validUser(await opts.verifyCredentials(body))
  if (!user) {
    log.event('login_failed', { reason: 'credentials', request, clientAddress: ctx.clientAddress })
    return wireError(401, 'invalid_grant')
  }
  await throttleRelease(ctx, keys)
  const now = opts.now()
  ctx.now = now
  const session: SessionRecord = {
    id: randomId(),
    userId: user.id,
    ...(user.claims && { claims: user.claims }),
    mode: opts.mode,
    userAgent: (request.headers.get('user-agent') ?? '').slice(0, 256),
    createdAt: now,
    authTime: now,
    lastSeenAt: now,
    idleExpiresAt: now + opts.idleTimeoutMs,
    absoluteExpiresAt: now + opts.absoluteTimeoutMs,
  }
  const { tokens, answer } = newSecrets(ctx, session.absoluteExpiresAt, now)
  const result = await store.create({ session, tokens, replace: carriedSecrets(ctx), notRevokedSince: startedAt, now })
  if (result.status === 'user_revoked') {
    log.event('login_refused', {
      reason: 'credentials_changed',
      userId: user.id,
      request,
      clientAddress: ctx.clientAddress,
    })
    return wireError(401, 'invalid_grant')
  }
  if (result.status === 'full') {
    log.event('login_refused', { reason: 'store_full', request, clientAddress: ctx.clientAddress })
    return wireError(503, 'temporarily_unavailable', [['Retry-After', '5']])
  }
  for (const old of result.replaced)
    log.event('relogin', { sessionId: old.id, userId: old.userId, mode: old.mode, reason: 'relogin' })
  log.event('login', { sessionId: session.id, userId: session.userId, mode: session.mode })
  return answer(session)
}
