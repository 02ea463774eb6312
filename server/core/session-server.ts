import { findSession } from './authenticate.js'
import { cookieLogout, sessionInfo } from './cookie-routes.js'
import type { Ctx } from './context.js'
import { StoreUnavailableError } from './errors.js'
import { WireAnswer, toResponse, wireError } from './http.js'
import { crossSiteReason, hasSdkHeader, isUnsafeMethod } from './guard.js'
import { createLog } from './log.js'
import { login } from './login.js'
import { resolveOptions, type RequestContext, type SessionServerOptions } from './options.js'
import { deadlines, listSessions, revokeOne, revokeOthers } from './session-routes.js'
import type { SessionRecord, SessionStore } from './store.js'
import { refresh, tokenLogout } from './token-routes.js'
import { memoryStore } from '../stores/memory.js'

/** What `authenticate` resolves for a live session. */
export interface AuthenticatedSession {
  userId: string
  /** The public session id (`session_id`). */
  sessionId: string
  claims?: Record<string, unknown>
  idleExpiresAt: number
  absoluteExpiresAt: number
}

/** The server half of session-vault, on Web `Request` / `Response`. */
export interface SessionServer {
  /** Answers the library's routes; resolves `undefined` for any other path. Never rejects. */
  handle(request: Request, context?: RequestContext): Promise<Response | undefined>
  /**
   * The live session of an API request (bearer token, or session cookie + CSRF
   * header on state-changing methods), counted as activity; otherwise a ready
   * `Response` (401 with `WWW-Authenticate`, 403 for a failed CSRF check, 503 when the store is down).
   */
  authenticate(request: Request, options?: RequestContext & { touch?: boolean }): Promise<AuthenticatedSession | Response>
  /** Whether `handle` answers this path (adapters use it to leave other requests alone). */
  owns(pathname: string): boolean
  /**
   * End every session of a user but `except` (password change, "sign out everywhere").
   * Logins that verified credentials before this call are refused. `kept`: whether `except` is still live.
   */
  revokeUser(userId: string, options?: { except?: string }): Promise<{ revoked: number; kept: boolean }>
  /** End one session by its public id. */
  endSession(sessionId: string): Promise<boolean>
  /** A user's live sessions. */
  listSessions(userId: string): Promise<SessionRecord[]>
  readonly mode: 'token' | 'cookie'
  readonly paths: Readonly<Record<string, string>>
  readonly store: SessionStore
  /** Close the store (timers, connections). */
  close(): Promise<void>
}

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
  routes.set(paths.keepalive, { methods: ['POST'], run: (ctx) => deadlines(ctx, true) })
  routes.set(paths.status, { methods: ['POST'], run: (ctx) => deadlines(ctx, false) })
  routes.set(paths.sessions, { methods: ['GET'], run: listSessions })
  routes.set(paths.revokeOthers, { methods: ['POST'], run: revokeOthers })
  if (opts.mode === 'token') {
    routes.set(paths.refresh, { methods: ['POST'], run: refresh })
    routes.set(paths.logout, { methods: ['POST'], run: tokenLogout })
  } else {
    routes.set(paths.session, { methods: ['GET'], run: sessionInfo })
    routes.set(paths.logout, { methods: ['POST'], run: cookieLogout })
  }
  const sessionPrefix = paths.sessions + '/'

  function match(pathname: string): Route | null {
    const exact = routes.get(pathname)
    if (exact) return exact
    if (pathname.startsWith(sessionPrefix)) {
      const id = pathname.slice(sessionPrefix.length)
      if (SESSION_ID.test(id)) return { methods: ['DELETE'], run: (ctx) => revokeOne(ctx, id) }
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
    if (!route.methods.includes(method)) return wireError(405, 'method_not_allowed', [['Allow', route.methods.join(', ')]])
    if (isUnsafeMethod(method)) {
      const crossSite = crossSiteReason(request, opts.allowedOrigins)
      if (crossSite) {
        log.event('request_rejected', { reason: crossSite, path: ctx.url.pathname, request, clientAddress: ctx.clientAddress })
        return wireError(403, crossSite)
      }
      if (opts.requireHeader && !hasSdkHeader(request)) {
        log.event('request_rejected', { reason: 'missing_header', path: ctx.url.pathname, request, clientAddress: ctx.clientAddress })
        return wireError(403, 'missing_session_vault_header')
      }
    }
    return route.run(ctx)
  }

  async function authenticate(request: Request, o: RequestContext & { touch?: boolean } = {}): Promise<AuthenticatedSession | Response> {
    const url = urlOf(request) ?? new URL('http://invalid/')
    const ctx = context(request, url, o.clientAddress)
    try {
      const found = await findSession(ctx, o.touch ?? true)
      if (found instanceof WireAnswer) return toResponse(found, ctx.now)
      const { session } = found
      return {
        userId: session.userId,
        sessionId: session.id,
        ...(session.claims && { claims: session.claims }),
        idleExpiresAt: session.idleExpiresAt,
        absoluteExpiresAt: session.absoluteExpiresAt,
      }
    } catch (error) {
      return toResponse(failure(error, request, o.clientAddress), opts.now())
    }
  }

  return {
    handle,
    authenticate,
    owns: (pathname) => match(pathname) !== null,
    async revokeUser(userId, o = {}) {
      const { revoked, kept } = await store.revokeUser({ userId, ...(o.except !== undefined && { except: o.except }), now: opts.now() })
      for (const s of revoked) log.event('revoked', { sessionId: s.id, userId, reason: 'password_changed' })
      log.event('user_revoked', { userId, count: revoked.length })
      return { revoked: revoked.length, kept }
    },
    async endSession(sessionId) {
      const ended = await store.end({ sessionId, now: opts.now() })
      if (ended) log.event('revoked', { sessionId, userId: ended.userId, reason: 'admin' })
      return ended !== null
    },
    listSessions: (userId) => store.list({ userId, now: opts.now() }),
    mode: opts.mode,
    paths: Object.freeze({ ...paths }),
    store,
    close: () => store.close(),
  }
}
