import { logLookup } from './authenticate.js'
import type { Ctx } from './context.js'
import { hashSecret, isPlausibleSecret } from './crypto.js'
import {
  BodyTooLarge,
  bearerToken,
  CLEAR_SITE_DATA,
  clearCookie,
  mediaType,
  readBody,
  readCookie,
  WireAnswer,
  wireError,
} from './http.js'
import { mintTokenPair, tokenAnswer } from './login.js'
import type { SessionRecord } from './store.js'

async function readForm(ctx: Ctx): Promise<URLSearchParams | WireAnswer> {
  const type = mediaType(ctx.request)
  if (type !== 'application/x-www-form-urlencoded' && type !== '') return wireError(415, 'unsupported_media_type')
  try {
    return new URLSearchParams(await readBody(ctx.request, ctx.opts.maxBodyBytes))
  } catch (error) {
    return error instanceof BodyTooLarge ? wireError(413, 'payload_too_large') : wireError(400, 'invalid_request')
  }
}

/** The session a bearer token names, live or not yet swept, without touching it. */
async function sessionOfBearer(ctx: Ctx): Promise<SessionRecord | null> {
  const token = bearerToken(ctx.request)
  if (!isPlausibleSecret(token)) return null
  const result = await ctx.store.lookup({
    hash: hashSecret(token),
    kind: 'access',
    now: ctx.now,
    allowExpiredToken: true,
  })
  logLookup(ctx, result)
  return result.status === 'ok' ? result.session : null
}

/** `POST refresh`: spend the refresh token, answer a new pair (rotation; reuse ends the family). @internal */
export async function refresh(ctx: Ctx): Promise<WireAnswer> {
  const { opts, request, store, log } = ctx
  const reject = <T>(reason: string, answer: T): T => {
    log.event('refresh_rejected', { reason, request, clientAddress: ctx.clientAddress })
    return answer
  }
  const form = await readForm(ctx)
  if (form instanceof WireAnswer) return reject('bad_request', form)
  const grantType = form.get('grant_type')
  if (!grantType) return reject('bad_request', wireError(400, 'invalid_request'))
  if (grantType !== 'refresh_token') return reject('grant_type', wireError(400, 'unsupported_grant_type'))
  const cookie = readCookie(request, opts.cookieNames.refresh)
  let token: string | null
  if (opts.refreshToken === 'cookie') {
    if (form.has('refresh_token')) return reject('token_in_body', wireError(400, 'invalid_request'))
    token = cookie
  } else {
    token = form.get('refresh_token')
  }
  const carried = cookie !== null && opts.refreshToken === 'cookie'
  const invalidGrant = (clear: boolean) =>
    wireError(
      401,
      'invalid_grant',
      clear && carried ? [['Set-Cookie', clearCookie(opts.cookieNames.refresh, 'Strict')]] : [],
    )
  if (!isPlausibleSecret(token)) {
    return token === null ? invalidGrant(true) : reject('malformed', invalidGrant(true))
  }
  const presentedSession = form.get('session_id')
  const expectSessionId = presentedSession ?? (await sessionOfBearer(ctx))?.id
  // The store caps both at the session's absolute deadline.
  const pair = mintTokenPair(ctx, ctx.now + opts.absoluteTimeoutMs)
  const result = await store.rotate({
    hash: hashSecret(token),
    now: ctx.now,
    tokens: pair.tokens,
    ...(expectSessionId !== undefined && { expectSessionId }),
  })
  switch (result.status) {
    case 'ok':
      log.event('refresh', { sessionId: result.session.id, userId: result.session.userId })
      return tokenAnswer(ctx, result.session, pair.access.secret, pair.refresh.secret)
    case 'reuse':
      log.event('reuse_detected', {
        sessionId: result.session.id,
        userId: result.session.userId,
        reason: 'reuse',
        request,
        clientAddress: ctx.clientAddress,
      })
      return invalidGrant(true)
    case 'expired':
      logLookup(ctx, result)
      return invalidGrant(true)
    case 'mismatch':
      return reject('other_family', invalidGrant(false))
    default:
      return reject('invalid', invalidGrant(true))
  }
}

/** `POST logout` (token mode): end the session of the bearer token (expired or not) or refresh token; always 200 + Clear-Site-Data. @internal */
export async function tokenLogout(ctx: Ctx): Promise<WireAnswer> {
  const { opts, request, store, log } = ctx
  const form = await readForm(ctx)
  const cookie = opts.refreshToken === 'cookie' ? readCookie(request, opts.cookieNames.refresh) : null
  const bodyToken = opts.refreshToken === 'body' && !(form instanceof WireAnswer) ? form.get('token') : null
  let session = await sessionOfBearer(ctx)
  const refreshToken = cookie ?? bodyToken
  if (!session && isPlausibleSecret(refreshToken)) {
    const result = await store.lookup({
      hash: hashSecret(refreshToken),
      kind: 'refresh',
      now: ctx.now,
      allowExpiredToken: true,
    })
    logLookup(ctx, result)
    if (result.status === 'ok') session = result.session
  }
  const ended = session ? await store.end({ sessionId: session.id, now: ctx.now }) : null
  if (ended) log.event('logout', { sessionId: ended.id, userId: ended.userId, reason: 'logout' })
  const headers: [string, string][] = []
  if (cookie !== null) headers.push(['Set-Cookie', clearCookie(opts.cookieNames.refresh, 'Strict')])
  // Only a request that passed the guard (same-origin, Session-Vault: 1) gets
  // here: the site's data is cleared even when no session was found (the SDK
  // signing out a tab whose session already ended still wants its data gone).
  headers.push(CLEAR_SITE_DATA)
  return new WireAnswer(200, { ok: true }, headers)
}
