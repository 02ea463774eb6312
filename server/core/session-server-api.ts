// The public face of createSessionServer: what it returns and what its methods resolve.
import type { EndReason } from './names.js'
import type { RequestContext } from './options.js'
import type { SessionRecord, SessionStore } from './store.js'

/** What `authenticate` resolves for a live session. */
export interface AuthenticatedSession {
  userId: string
  /** The public session id (`session_id`). */
  sessionId: string
  claims?: Record<string, unknown>
  /** Epoch ms. */
  createdAt: number
  /** Epoch ms of the last credential check: the sign-in, or the latest `reauth`. */
  authTime: number
  idleExpiresAt: number
  absoluteExpiresAt: number
  /** Cookie mode: the session's CSRF token (to put in server-rendered forms). */
  csrfToken?: string
}

/** Options of `authenticate` (and of the adapters' `authenticateNode`, `expressAuthenticate`, `fastifyAuthenticate`). */
export interface AuthenticateOptions {
  /**
   * Count the request as activity (slide the idle deadline).
   * @default true
   */
  touch?: boolean
  /**
   * A sensitive action: the session's last credential check (`authTime`: the
   * login, or the latest `reauth`) must be at most this many seconds old, or
   * the answer is the RFC 9470 step-up challenge (401,
   * `WWW-Authenticate: Bearer error="insufficient_user_authentication", …, max_age="<maxAge>"`,
   * body `{ error, max_age }`); the session is left as it was. A positive
   * finite number; anything else throws a `TypeError`.
   * @default undefined (any age)
   */
  maxAge?: number
}

/** What `renewSession` resolves for a live session. */
export interface RenewedSession {
  /** The session, same public id, with its new secrets (cookie mode: the new `csrfToken`). */
  session: AuthenticatedSession
  /** Headers to send with the answer: the new refresh cookie (token mode) or session cookie (cookie mode). */
  headers: [string, string][]
  /** Token mode with `refreshToken: 'body'`: the new refresh token, for the app to hand over. */
  refreshToken?: string
  /** How many other sessions of the user ended. */
  revoked: number
}

/** The server half of session-vault, on Web `Request` / `Response`. */
export interface SessionServer {
  /** Answers the library's routes; resolves `undefined` for any other path. Never rejects. */
  handle(request: Request, context?: RequestContext): Promise<Response | undefined>
  /**
   * The live session of an API request (bearer token, or session cookie + CSRF
   * header on state-changing methods), counted as activity; otherwise a ready
   * `Response` (401 with `WWW-Authenticate`, 403 for a failed CSRF check, 503 when the store is down).
   *
   * `maxAge` (seconds) guards a sensitive action: a session whose last sign-in
   * (login or `reauth`) is older gets the RFC 9470 step-up challenge instead
   * (401, `WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age="…"`);
   * the session itself is left as it was. The SDK then rejects `ERR_STEP_UP_REQUIRED`,
   * and the app re-authenticates through `POST reauth`.
   * @throws {TypeError} at once for a `maxAge` that is not a positive finite number
   * @example
   * const auth = await server.authenticate(request, { maxAge: 300 })
   * if (auth instanceof Response) return auth
   */
  authenticate(
    request: Request,
    options?: RequestContext & AuthenticateOptions,
  ): Promise<AuthenticatedSession | Response>
  /** Whether `handle` answers this path (adapters use it to leave other requests alone). */
  owns(pathname: string): boolean
  /**
   * End every session of a user but `except` (password change, "sign out everywhere").
   * Logins that verified credentials before this call are refused. `kept`: whether `except` is still live.
   */
  revokeUser(
    userId: string,
    options?: { except?: string; reason?: EndReason },
  ): Promise<{ revoked: number; kept: boolean }>
  /**
   * End one session by its public id (`reason` goes into the log, default `admin`).
   * With `userId`, only if it is that user's session (false otherwise, as for an unknown id).
   */
  endSession(sessionId: string, options?: { userId?: string; reason?: EndReason }): Promise<boolean>
  /**
   * After a credential change (password change): authenticates the request
   * like `authenticate`, then in one atomic step ends every other session of
   * the user, refuses logins that verified credentials before now, and gives
   * this session new secrets (its old access, refresh or cookie secrets stop
   * working; the public id stays). Resolves a ready `Response` (401) when the
   * session is not live any more: then nothing changed. Call it before you
   * install the new credentials.
   */
  renewSession(request: Request, options?: RequestContext): Promise<RenewedSession | Response>
  /**
   * Run a credential check of the app's own (the current password of a
   * password change) under the login throttle: it counts against `account`
   * (the value `throttle.accountKey` gives for a login body, by default the
   * lower-cased username) and the client address, like a login. Resolves
   * `'ok'` or `'failed'` (what `check` said), or a 429 `Response` with
   * `Retry-After` while a key is locked (then `check` never ran).
   */
  throttledCheck(
    input: RequestContext & { account?: string },
    check: () => Promise<boolean> | boolean,
  ): Promise<'ok' | 'failed' | Response>
  /** A user's live sessions. */
  listSessions(userId: string): Promise<SessionRecord[]>
  readonly mode: 'token' | 'cookie'
  readonly paths: Readonly<Record<string, string>>
  readonly store: SessionStore
  /** Close the store (timers, connections). */
  close(): Promise<void>
}
