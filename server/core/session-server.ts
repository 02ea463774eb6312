import { memoryStore } from '../stores/memory.js'
import { type Found, findSession, unauthenticated } from './authenticate.js'
import type { Ctx } from './context.js'
import { cookieLogout, sessionInfo } from './cookie-routes.js'
import { csrfTokenFor } from './crypto.js'
import { StoreUnavailableError } from './errors.js'
import { crossSiteReason, hasSdkHeader, isUnsafeMethod } from './guard.js'
import { setCookie, toResponse, WireAnswer, wireError } from './http.js'
import { createLog } from './log.js'
import { login, mintTokenPair, throttleKeysFor } from './login.js'
import { type RequestContext, resolveOptions, type SessionServerOptions } from './options.js'
import { reauth } from './reauth.js'
import { authTimeOf, checkMaxAge, stepUpChallenge, tooOld } from './recent-auth.js'
import { deadlines, listSessions, revokeOne, revokeOthers } from './session-routes.js'
import type { AuthenticatedSession, AuthenticateOptions, RenewedSession, SessionServer } from './session-server-api.js'
import type { NewToken } from './store.js'
import { refresh, tokenLogout } from './token-routes.js'
import { mint } from './tokens.js'

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Create the server half: routes for the SDK's wire contract, `authenticate` for your APIs. */
export function createSessionServer(options: SessionServerOptions): SessionServer {
  const opts = resolveOptions(options)
  const store = options.store ?? memoryStore()
  const log = createLog(options.logger, options.logSalt)
  const { paths } = opts

  type Route = { methods: string[]; run: (ctx: Ctx) => Promise<WireAnswer> }
  const routes = new Map<string, Route>()
  routes.set(paths.login, { methods: ['POST'], run: login })
  routes.set(paths.keepalive, { methods: ['POST'], run: ctx => deadlines(ctx, true) })
  routes.set(paths.status, { methods: ['POST'], run: ctx => deadlines(ctx, false) })
  routes.set(paths.sessions, { methods: ['GET'], run: listSessions })
  routes.set(paths.revokeOthers, { methods: ['POST'], run: revokeOthers })
  routes.set(paths.reauth, { methods: ['POST'], run: reauth })
  if (opts.mode === 'token') {
    routes.set(paths.refresh, { methods: ['POST'], run: refresh })
    routes.set(paths.logout, { methods: ['POST'], run: tokenLogout })
  } else {
    routes.set(paths.session, { methods: ['GET'], run: sessionInfo })
    routes.set(paths.logout, { methods: ['POST'], run: cookieLogout })
  }
  const sessionPrefix = `${paths.sessions}/`

  function match(pathname: string): Route | null {
    const exact = routes.get(pathname)
    if (exact) return exact
    if (pathname.startsWith(sessionPrefix)) {
      const id = pathname.slice(sessionPrefix.length)
      if (SESSION_ID.test(id)) return { methods: ['DELETE'], run: ctx => revokeOne(ctx, id) }
    }
    return null
  }

  function failure(error: unknown, request: Request, clientAddress?: string): WireAnswer {
    if (error instanceof StoreUnavailableError) {
      log.event('store_unavailable', { request, clientAddress })
      return wireError(503, 'temporarily_unavailable', [['Retry-After', '1']])
    }
    log.event('server_error', { reason: (error as Error)?.name ?? 'unknown' })
    return wireError(500, 'server_error')
  }

  function context(request: Request, url: URL, clientAddress: string | undefined): Ctx {
    return { request, url, now: opts.now(), opts, store, log, clientAddress }
  }

  function urlOf(request: Request): URL | null {
    try {
      return new URL(request.url)
    } catch {
      return null
    }
  }

  async function handle(request: Request, reqContext: RequestContext = {}): Promise<Response | undefined> {
    const url = urlOf(request)
    if (!url) return undefined
    const route = match(url.pathname)
    if (!route) return undefined
    const ctx = context(request, url, reqContext.clientAddress)
    let answer: WireAnswer
    try {
      answer = await guard(ctx, route)
    } catch (error) {
      answer = failure(error, request, reqContext.clientAddress)
    }
    return toResponse(answer, opts.now())
  }

  async function guard(ctx: Ctx, route: Route): Promise<WireAnswer> {
    const { request } = ctx
    const method = request.method.toUpperCase()
    if (!route.methods.includes(method))
      return wireError(405, 'method_not_allowed', [['Allow', route.methods.join(', ')]])
    if (isUnsafeMethod(method)) {
      const crossSite = crossSiteReason(request, opts.allowedOrigins)
      if (crossSite) {
        log.event('request_rejected', {
          reason: crossSite,
          path: ctx.url.pathname,
          request,
          clientAddress: ctx.clientAddress,
        })
        return wireError(403, crossSite)
      }
      if (opts.requireHeader && !hasSdkHeader(request)) {
        log.event('request_rejected', {
          reason: 'missing_header',
          path: ctx.url.pathname,
          request,
          clientAddress: ctx.clientAddress,
        })
        return wireError(403, 'missing_session_vault_header')
      }
    }
    return route.run(ctx)
  }

  async function authenticate(
    request: Request,
    o: RequestContext & AuthenticateOptions = {},
  ): Promise<AuthenticatedSession | Response> {
    checkMaxAge(o.maxAge, 'authenticate')
    const url = urlOf(request) ?? new URL('http://invalid/')
    const ctx = context(request, url, o.clientAddress)
    try {
      const touch = o.touch ?? true
      if (o.maxAge === undefined) {
        const found = await findSession(ctx, touch)
        return found instanceof WireAnswer ? toResponse(found, ctx.now) : view(found)
      }
      // A sensitive action: check the sign-in's age before counting the request as activity,
      // so the RFC 9470 challenge leaves the session exactly as it was.
      const found = await findSession(ctx, false)
      if (found instanceof WireAnswer) return toResponse(found, ctx.now)
      if (tooOld(found.session, o.maxAge, ctx.now)) return toResponse(stepUpChallenge(o.maxAge), ctx.now)
      if (!touch) return view(found)
      const touched = await findSession(ctx, true)
      return touched instanceof WireAnswer ? toResponse(touched, ctx.now) : view(touched)
    } catch (error) {
      return toResponse(failure(error, request, o.clientAddress), opts.now())
    }
  }

  function view({ session, cookieValue }: Found): AuthenticatedSession {
    return {
      userId: session.userId,
      sessionId: session.id,
      ...(session.claims && { claims: session.claims }),
      createdAt: session.createdAt,
      authTime: authTimeOf(session),
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
      ...(cookieValue !== undefined && { csrfToken: csrfTokenFor(cookieValue) }),
    }
  }

  async function renewSession(request: Request, o: RequestContext = {}): Promise<RenewedSession | Response> {
    const url = urlOf(request) ?? new URL('http://invalid/')
    const ctx = context(request, url, o.clientAddress)
    try {
      const found = await findSession(ctx, true)
      if (found instanceof WireAnswer) return toResponse(found, ctx.now)
      const { session } = found
      const remaining = session.absoluteExpiresAt - ctx.now
      let tokens: NewToken[]
      let secret: string
      if (opts.mode === 'token') {
        const { refresh } = mintTokenPair(ctx, session.absoluteExpiresAt)
        tokens = [refresh.token]
        secret = refresh.secret
      } else {
        const cookie = mint('cookie', session.absoluteExpiresAt)
        tokens = [cookie.token]
        secret = cookie.secret
      }
      const result = await store.renew({ sessionId: session.id, userId: session.userId, tokens, now: ctx.now })
      if (result.status !== 'ok') {
        log.event('token_rejected', {
          reason: 'renew_ended',
          sessionId: session.id,
          userId: session.userId,
          request,
          clientAddress: ctx.clientAddress,
        })
        return toResponse(unauthenticated(ctx, opts.mode === 'cookie'), ctx.now)
      }
      for (const s of result.revoked)
        log.event('revoked', { sessionId: s.id, userId: s.userId, mode: s.mode, reason: 'password_changed' })
      log.event('renewed', {
        sessionId: session.id,
        userId: session.userId,
        mode: session.mode,
        reason: 'password_changed',
      })
      const headers: [string, string][] = []
      let refreshToken: string | undefined
      if (opts.mode === 'cookie') {
        headers.push(['Set-Cookie', setCookie(opts.cookieNames.session, secret, { sameSite: 'Lax', maxAgeMs: null })])
      } else if (opts.refreshToken === 'cookie') {
        headers.push([
          'Set-Cookie',
          setCookie(opts.cookieNames.refresh, secret, {
            sameSite: 'Strict',
            maxAgeMs: Math.min(opts.refreshTokenTtlMs, remaining),
          }),
        ])
      } else {
        refreshToken = secret
      }
      const renewed = view({ session: result.session, ...(opts.mode === 'cookie' && { cookieValue: secret }) })
      return {
        session: renewed,
        headers,
        ...(refreshToken !== undefined && { refreshToken }),
        revoked: result.revoked.length,
      }
    } catch (error) {
      return toResponse(failure(error, request, o.clientAddress), opts.now())
    }
  }

  async function throttledCheck(
    input: RequestContext & { account?: string },
    check: () => Promise<boolean> | boolean,
  ): Promise<'ok' | 'failed' | Response> {
    const ctx = context(new Request('http://internal/'), new URL('http://internal/'), input.clientAddress)
    const keys = throttleKeysFor(ctx, input.account ?? null) ?? []
    try {
      if (keys.length > 0) {
        const { retryAfter } = await store.throttleHit({ keys, now: ctx.now })
        if (retryAfter > 0) {
          log.event('check_throttled', { retryAfter, ...(input.clientAddress && { ip: input.clientAddress }) })
          return toResponse(wireError(429, 'too_many_requests', [['Retry-After', String(retryAfter)]]), ctx.now)
        }
      }
    } catch (error) {
      return toResponse(failure(error, ctx.request, input.clientAddress), opts.now())
    }
    const ok = (await check()) === true
    if (!ok) {
      log.event('check_failed', { ...(input.clientAddress && { ip: input.clientAddress }) })
      return 'failed'
    }
    try {
      for (const { key } of keys) await store.throttleClear({ key, mode: key.startsWith('a:') ? 'reset' : 'undo' })
    } catch {
      // the check passed; a failed clean-up only leaves the count where it was
    }
    return 'ok'
  }

  return {
    handle,
    authenticate,
    owns: pathname => match(pathname) !== null,
    async revokeUser(userId, o = {}) {
      const { revoked, kept } = await store.revokeUser({
        userId,
        ...(o.except !== undefined && { except: o.except }),
        now: opts.now(),
      })
      const reason = o.reason ?? 'password_changed'
      for (const s of revoked) log.event('revoked', { sessionId: s.id, userId, mode: s.mode, reason })
      log.event('user_revoked', { userId, count: revoked.length, reason })
      return { revoked: revoked.length, kept }
    },
    async endSession(sessionId, o = {}) {
      const ended = await store.end({ sessionId, ...(o.userId !== undefined && { userId: o.userId }), now: opts.now() })
      if (ended)
        log.event('revoked', { sessionId, userId: ended.userId, mode: ended.mode, reason: o.reason ?? 'admin' })
      return ended !== null
    },
    renewSession,
    throttledCheck,
    listSessions: userId => store.list({ userId, now: opts.now() }),
    mode: opts.mode,
    paths: Object.freeze({ ...paths }),
    store,
    close: () => store.close(),
  }
}
