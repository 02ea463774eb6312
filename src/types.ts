import type { Duration } from './duration.js'
import type { SessionVaultError } from './errors.js'
import type { EndReason } from './protocol.js'

/**
 * First-party token endpoints (DESIGN "Wire contract, token mode"). The vault
 * POSTs the credentials to `loginUrl`, keeps the RFC 6749 section 5.1 answer in
 * worker memory, and attaches `Authorization: Bearer` to trusted requests.
 */
export interface TokenAuthOptions {
  type: 'token'
  /**
   * Where `session.login(credentials)` POSTs the credentials as JSON.
   * Relative URLs resolve against the page.
   * @example '/auth/login'
   */
  loginUrl: string
  /**
   * Refresh endpoint: form body `grant_type=refresh_token` (plus `refresh_token`
   * when the server gave one), always with cookies, so the server may keep the
   * refresh token in an HttpOnly cookie instead. Called once at start-up to
   * restore the session after a reload or in a new tab.
   * @default undefined (no refresh: the session ends when the access token expires)
   * @example '/auth/refresh'
   */
  refreshUrl?: string
  /**
   * Logout endpoint, POSTed with the bearer token and cookies; it should answer
   * `Clear-Site-Data: "cache", "cookies", "storage"`.
   * @default undefined (local wipe only; `serverConfirmed` is then false)
   * @example '/auth/logout'
   */
  logoutUrl?: string
  /**
   * Keepalive endpoint, POSTed with the bearer token while the user is active,
   * so the server's idle timer stays in step with the client's.
   * @default undefined (no keepalive)
   * @example '/auth/keepalive'
   */
  keepaliveUrl?: string
}

/**
 * Cookie sessions (server-rendered sites, backend-for-frontend): the session
 * lives in an HttpOnly cookie and no token exists in the browser. The vault
 * keeps only the CSRF token and adds it to state-changing same-origin requests.
 */
export interface CookieAuthOptions {
  type: 'cookie'
  /**
   * Same-origin endpoint (GET, with cookies) answering
   * `{ authenticated, idleExpiresAt?, absoluteExpiresAt?, csrfToken? }`.
   * @default undefined (the page counts as signed in: use only on pages served to signed-in users)
   * @example '/session'
   */
  sessionUrl?: string
  /**
   * Keepalive endpoint (POST, with cookies and the CSRF header) answering `{ idleExpiresAt?, absoluteExpiresAt? }` or 401.
   * @default undefined (no keepalive)
   */
  keepaliveUrl?: string
  /**
   * Logout endpoint (POST, with cookies and the CSRF header). It should end the
   * server session and answer `Clear-Site-Data: "cache", "cookies", "storage"`.
   * @example '/logout'
   */
  logoutUrl: string
  /**
   * Header that carries the CSRF token on POST, PUT, PATCH and DELETE to the page's origin.
   * @default 'X-CSRF-Token'
   */
  csrfHeader?: string
}

/**
 * OAuth 2.0 / OpenID Connect public client (authorization code + PKCE S256),
 * run inside the vault: the tokens never reach the page.
 */
export interface OAuthAuthOptions {
  type: 'oauth'
  /**
   * Issuer identifier; endpoints are discovered from `<issuer>/.well-known/openid-configuration`
   * and the ID token's `iss` must equal it exactly.
   * @example 'https://login.example.com'
   */
  issuer?: string
  /** Explicit endpoint (overrides discovery). */
  authorizationEndpoint?: string
  /** Explicit endpoint (overrides discovery). */
  tokenEndpoint?: string
  /** RFC 7009 revocation endpoint (overrides discovery). */
  revocationEndpoint?: string
  /** RP-initiated logout endpoint (overrides discovery). */
  endSessionEndpoint?: string
  /** The client's id at the authorization server. */
  clientId: string
  /**
   * Same-origin page that calls `session.handleRedirectCallback()`.
   * @example '/callback'
   */
  redirectUri: string
  /**
   * Where the authorization server sends the browser after RP-initiated logout.
   * @default undefined (no RP-initiated logout: tokens are revoked, the provider session stays)
   */
  postLogoutRedirectUri?: string
  /**
   * Space-separated scopes.
   * @default 'openid'
   * @example 'openid profile offline_access'
   */
  scope?: string
  /**
   * Sender-constrained tokens (RFC 9449): a non-extractable P-256 key made in the vault.
   * @default false
   */
  dpop?: boolean
  /**
   * `'none'`: tokens live in worker memory only (a reload signs out).
   * `'dpop'` (needs `dpop: true`): the DPoP-bound refresh token is kept in IndexedDB,
   * useless without the non-extractable key, so reloads and new tabs stay signed in.
   * @default 'none'
   */
  persist?: 'none' | 'dpop'
}

/** Which authentication the vault performs. */
export type AuthOptions = TokenAuthOptions | CookieAuthOptions | OAuthAuthOptions

/** Idle timeout settings. Durations are milliseconds or strings such as `'15m'`. */
export interface IdleOptions {
  /**
   * Inactivity after which the session ends (reason `idle`).
   * @example '15m'
   */
  timeout: Duration
  /**
   * How long before the idle deadline the warning opens. Must be shorter than `timeout`.
   * @example '1m'
   */
  warnBefore: Duration
  /**
   * Maximum session length, whatever the activity (reason `absolute`). Must not be shorter than `timeout`.
   * @default undefined (none on the client; the server's own still applies)
   * @example '8h'
   */
  absoluteTimeout?: Duration
  /**
   * Least time between two keepalive calls while the user is active.
   * @default a fifth of `timeout`
   */
  keepaliveInterval?: Duration
  /**
   * DOM events that count as activity.
   * @default ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']
   */
  events?: string[]
}

/** Texts of the default warning dialog. */
export interface DialogTexts {
  /** @default 'Your session is about to expire' */
  title?: string
  /** @default (remaining) => `You will be signed out in ${remaining} because of inactivity.` */
  idleMessage?: (remaining: string) => string
  /** @default (remaining) => `Your session reaches its time limit in ${remaining}. Save your work.` */
  absoluteMessage?: (remaining: string) => string
  /** @default 'Stay signed in' */
  stay?: string
  /** @default 'Sign out now' */
  signOut?: string
  /** Closes the absolute-timeout warning (which cannot be extended). @default 'Continue' */
  dismiss?: string
  /** Formats remaining milliseconds. @default '1:05' style minutes and seconds */
  formatRemaining?: (ms: number) => string
}

/** The default idle warning dialog. */
export interface DialogOptions {
  /** Text overrides. */
  texts?: DialogTexts
  /**
   * Element the dialog's host is appended to.
   * @default document.body
   */
  container?: HTMLElement
  /**
   * How often screen readers hear the remaining time (plus every second in the last 10 s).
   * @default '15s'
   */
  announceEvery?: Duration
}

/** What a logout clears besides the vault (the fallback for when `Clear-Site-Data` did not run). */
export interface ClearOptions {
  /** `true` clears all of localStorage, a list clears those keys. @default false */
  localStorage?: boolean | string[]
  /** `true` clears all of sessionStorage, a list clears those keys. @default false */
  sessionStorage?: boolean | string[]
  /** IndexedDB database names to delete. @default [] */
  indexedDB?: string[]
  /** `true` deletes every Cache Storage cache, a list deletes those. @default false */
  caches?: boolean | string[]
}

export interface LogoutOptions {
  /**
   * Where every tab goes after the session ends (`location.replace`).
   * @default undefined (stay on the page)
   * @example '/signed-out'
   */
  redirectTo?: string
  /** Extra local clearing. */
  clear?: ClearOptions
}

/**
 * Options of {@link createSession}.
 * @example
 * createSession({
 *   auth: { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh', logoutUrl: '/auth/logout' },
 *   idle: { timeout: '15m', warnBefore: '1m' },
 * })
 */
export interface SessionOptions {
  /**
   * Same-origin URL of `vault.worker.js`.
   * @default next to the module (`new URL('./vault.worker.js', import.meta.url)`), or next to the script tag's `src`
   */
  workerUrl?: string | URL
  /**
   * Exact origins that may receive credentials from `session.fetch`. Any other
   * origin is rejected with `ERR_UNTRUSTED_ORIGIN` before a request is made.
   * @default [location.origin]
   * @example ['https://app.example.com', 'https://api.example.com']
   */
  trustedOrigins?: string[]
  /** How the vault authenticates. */
  auth: AuthOptions
  /**
   * Idle timeout, warning and automatic logout; `false` turns it off.
   * @default false
   */
  idle?: false | IdleOptions
  /**
   * The default accessible warning dialog; `false` renders nothing (listen to the events instead).
   * @default true
   */
  dialog?: boolean | DialogOptions
  /** What happens after the session ends. */
  logout?: LogoutOptions
  /**
   * BroadcastChannel (and Web Lock) name shared by the tabs of this app.
   * @default 'session-vault:' + location.origin
   */
  channel?: string
  /**
   * Largest `session.fetch` response body the vault reads, in bytes. A larger
   * one (by its `Content-Length`, or as it arrives) stops the download and
   * rejects `ERR_BODY_TOO_LARGE`; the session stays.
   * @default 67108864 (64 MiB)
   * @example 10 * 1024 * 1024
   */
  maxBodyBytes?: number
  /**
   * Longest a `session.fetch` may take, answer and whole body included: past
   * it the request is aborted and rejects `ERR_TIMEOUT`. Not applied to the
   * vault's own auth calls (logout has its own 5 s bound).
   * @default undefined (no timeout)
   * @example '30s'
   */
  requestTimeout?: Duration
}

/** `anonymous` (no session yet), `authenticated`, `warning` (idle warning open), `ended` (for good). */
export type SessionState = 'anonymous' | 'authenticated' | 'warning' | 'ended'

/** Why the session ended. */
export type LogoutReason = EndReason

/** What the page may know about the session. Never a token. */
export interface SessionInfo {
  authenticated: boolean
  /** Epoch ms when the current access token expires. */
  expiresAt?: number
  /** Non-secret ID token claims (OAuth). */
  claims?: Record<string, unknown>
  /** Epoch ms of the idle deadline. */
  idleDeadline?: number
  /** Epoch ms of the absolute deadline. */
  absoluteDeadline?: number
}

/** Event names and their payloads. */
export interface SessionEvents {
  /** The session became authenticated (login, restore, or a sign-in in another tab). */
  authenticated: SessionInfo
  /** User activity was seen (at most once a second). */
  activity: { at: number }
  /** The idle or absolute warning opened. */
  warning: { reason: 'idle' | 'absolute'; remainingMs: number; deadline: number }
  /** Once a second while the warning is open. */
  tick: { remainingMs: number }
  /** The warning was dismissed by `extend()` (in this or another tab). */
  extended: { at: number }
  /** The session ended; `serverConfirmed` says whether the server acknowledged the logout. */
  logout: { reason: LogoutReason; serverConfirmed: boolean }
  /** Something failed that did not end the session (for example a keepalive network error). */
  error: SessionVaultError
}

export type SessionEventName = keyof SessionEvents
