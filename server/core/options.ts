import { SessionServerError } from './errors.js'
import {
  type LogEventName,
  MODES,
  type Mode,
  REFRESH_TRANSPORTS,
  type RefreshTransport,
  ROUTE_NAMES,
  type RouteName,
} from './names.js'
import type { SessionStore, ThrottlePolicy } from './store.js'

/** What `verifyCredentials` resolves for a good login. */
export interface VerifiedUser {
  /** The app's user id (kept with the session, returned by `authenticate`). */
  id: string
  /** Extra, non-secret facts about the user returned by `authenticate` (JSON-serialisable). */
  claims?: Record<string, unknown>
}

/** One lifecycle log entry. Never a token, cookie, password or raw session id: `sid` and `uid` are salted hashes. */
export interface LogEntry {
  /** ISO time. */
  t: string
  event: LogEventName
  /** Salted hash of the public session id. */
  sid?: string
  /** Salted hash of the user id. */
  uid?: string
  mode?: Mode
  reason?: string
  /** Client address (rejections), when the adapter knows it. */
  ip?: string
  /** User agent (rejections), truncated. */
  ua?: string
  [field: string]: unknown
}

/** Per-request facts the adapters know and a `Request` does not carry. */
export interface RequestContext {
  /** The client's address (for throttling and logs). */
  clientAddress?: string
}

/** Brute-force protection of the login and reauth routes (one count: a reauth attempt counts like a login). */
export interface ThrottleOptions {
  /**
   * Per account (the credentials' `username`/`email`, see `accountKey`).
   * @default { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 900000, windowMs: 900000 }
   */
  account?: Partial<ThrottlePolicy>
  /**
   * Per client address.
   * @default { freeAttempts: 30, baseDelayMs: 1000, maxDelayMs: 900000, windowMs: 900000 }
   */
  client?: Partial<ThrottlePolicy>
  /**
   * The account name of a login body, or null.
   * @default credentials.username ?? credentials.email (strings, lower-cased, trimmed)
   */
  accountKey?: (credentials: Record<string, unknown>) => string | null
}

/** Options of `createSessionServer`. Lifetimes are in seconds. */
export interface SessionServerOptions {
  /** `token`: bearer access tokens + refresh token (cookie by default); `cookie`: an HttpOnly session cookie + CSRF header. */
  mode: Mode
  /** Checks a login body (the object given to the SDK's `login()`); resolves the user or null. */
  verifyCredentials: (credentials: Record<string, unknown>) => Promise<VerifiedUser | null> | VerifiedUser | null
  /**
   * Where sessions live.
   * @default memoryStore()
   */
  store?: SessionStore
  /**
   * Access token lifetime (token mode).
   * @default 300
   */
  accessTokenTtl?: number
  /**
   * Idle timeout: a session with no activity (API calls through `authenticate`, keepalive, a successful reauth) for this long ends.
   * Refresh and status are not activity.
   * @default 900
   */
  idleTimeout?: number
  /**
   * Absolute timeout: no session lives longer, whatever the activity.
   * @default 28800
   */
  absoluteTimeout?: number
  /**
   * Refresh token lifetime (token mode): a refresh token not used for this long stops working, and the refresh cookie's
   * `Max-Age` is this, never past the session's absolute deadline.
   * @default the absolute timeout
   */
  refreshTokenTtl?: number
  /**
   * Token mode: where the refresh token travels. `cookie` (an HttpOnly `__Host-` cookie, never read from a body) or `body`.
   * @default 'cookie'
   */
  refreshToken?: RefreshTransport
  /**
   * Route paths. Sessions: `GET <sessions>`, `DELETE <sessions>/<id>`, `POST <revokeOthers>`.
   * `POST <status>`: the deadlines, never sliding them; `POST <reauth>`: step-up re-authentication (both modes).
   * @default { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout', keepalive: '/auth/keepalive', status: '/auth/status', session: '/auth/session', sessions: '/auth/sessions', revokeOthers: '/auth/sessions/revoke-others', reauth: '/auth/reauth' }
   */
  paths?: Partial<Record<RouteName, string>>
  /**
   * Cookie names (keep the `__Host-` prefix: it enforces `Secure`, `Path=/` and no `Domain`).
   * @default { refresh: '__Host-sv_rt', session: '__Host-sv_s' }
   */
  cookieNames?: { refresh?: string; session?: string }
  /**
   * Cookie mode: the header that carries the CSRF token on state-changing requests.
   * @default 'X-CSRF-Token'
   */
  csrfHeader?: string
  /**
   * Origins allowed in the `Origin` header of state-changing requests. When unset, only the request URL's own origin.
   * @default undefined (same origin)
   */
  allowedOrigins?: string[]
  /**
   * Require `Session-Vault: 1` on every state-changing request to `handle`.
   * Turn off only for clients that cannot send it (the guard on `Sec-Fetch-Site`/`Origin` stays).
   * @default true
   */
  requireHeader?: boolean
  /**
   * Largest request body accepted, bytes.
   * @default 16384
   */
  maxBodyBytes?: number
  /**
   * Login and reauth throttling (per account and per client), or false to turn it off.
   * @default {}
   */
  throttle?: ThrottleOptions | false
  /**
   * Lifecycle log hook; `false` silences it. Entries carry salted hashes only.
   * @default JSON lines on stdout
   */
  logger?: ((entry: LogEntry) => void) | false
  /**
   * Salt of the log hashes. Give every process the same one to correlate their logs.
   * @default 16 random bytes per process
   */
  logSalt?: string
  /**
   * Clock, epoch ms (tests inject one).
   * @default Date.now
   */
  now?: () => number
}

/** @internal */
export interface ResolvedOptions {
  mode: Mode
  verifyCredentials: SessionServerOptions['verifyCredentials']
  accessTokenTtlMs: number
  idleTimeoutMs: number
  absoluteTimeoutMs: number
  refreshTokenTtlMs: number
  refreshToken: RefreshTransport
  paths: Record<RouteName, string>
  cookieNames: { refresh: string; session: string }
  csrfHeader: string
  allowedOrigins: string[] | null
  requireHeader: boolean
  maxBodyBytes: number
  throttle: {
    account: ThrottlePolicy
    client: ThrottlePolicy
    accountKey: (c: Record<string, unknown>) => string | null
  } | null
  now: () => number
}

export const DEFAULT_PATHS: Record<RouteName, string> = {
  login: '/auth/login',
  refresh: '/auth/refresh',
  logout: '/auth/logout',
  keepalive: '/auth/keepalive',
  status: '/auth/status',
  reauth: '/auth/reauth',
  session: '/auth/session',
  sessions: '/auth/sessions',
  revokeOthers: '/auth/sessions/revoke-others',
}

const ACCOUNT_POLICY: ThrottlePolicy = { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 900_000, windowMs: 900_000 }
const CLIENT_POLICY: ThrottlePolicy = { freeAttempts: 30, baseDelayMs: 1000, maxDelayMs: 900_000, windowMs: 900_000 }
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/
const HEADER_NAME = COOKIE_NAME

function bad(message: string): never {
  throw new SessionServerError('ERR_BAD_OPTIONS', message)
}

function seconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    bad(`${name} must be a positive number of seconds`)
  return Math.round(value * 1000)
}

function policy(name: string, given: Partial<ThrottlePolicy> | undefined, fallback: ThrottlePolicy): ThrottlePolicy {
  const merged = { ...fallback, ...given }
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      bad(`throttle.${name}.${key} must be a number >= 0`)
  }
  return merged
}

function defaultAccountKey(credentials: Record<string, unknown>): string | null {
  const name = credentials.username ?? credentials.email
  return typeof name === 'string' && name.length > 0 && name.length <= 320 ? name.trim().toLowerCase() : null
}

/** Validate and complete the options. @internal */
export function resolveOptions(options: SessionServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) bad('options must be an object')
  if (!MODES.includes(options.mode)) bad(`mode must be one of ${MODES.join(', ')}`)
  if (typeof options.verifyCredentials !== 'function') bad('verifyCredentials must be a function')
  const refreshToken = options.refreshToken ?? 'cookie'
  if (!REFRESH_TRANSPORTS.includes(refreshToken)) bad(`refreshToken must be one of ${REFRESH_TRANSPORTS.join(', ')}`)
  const paths = { ...DEFAULT_PATHS, ...options.paths }
  for (const name of ROUTE_NAMES) {
    if (!/^\/[A-Za-z0-9\-._~/]*$/.test(paths[name])) bad(`paths.${name} must be an absolute path`)
  }
  if (new Set(Object.values(paths)).size !== ROUTE_NAMES.length) bad('paths must be distinct')
  const cookieNames = { refresh: '__Host-sv_rt', session: '__Host-sv_s', ...options.cookieNames }
  if (!COOKIE_NAME.test(cookieNames.refresh) || !COOKIE_NAME.test(cookieNames.session))
    bad('cookieNames must be cookie names')
  const csrfHeader = options.csrfHeader ?? 'X-CSRF-Token'
  if (!HEADER_NAME.test(csrfHeader)) bad('csrfHeader must be a header name')
  let allowedOrigins: string[] | null = null
  if (options.allowedOrigins !== undefined) {
    if (!Array.isArray(options.allowedOrigins)) bad('allowedOrigins must be an array of origins')
    allowedOrigins = options.allowedOrigins.map(origin => {
      let parsed: URL
      try {
        parsed = new URL(origin)
      } catch {
        bad('allowedOrigins must be exact origins like https://app.example.com')
      }
      if (parsed.origin !== origin) bad('allowedOrigins must be exact origins like https://app.example.com')
      return origin
    })
  }
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 256) bad('maxBodyBytes must be an integer >= 256')
  const t = options.throttle ?? {}
  const throttle =
    t === false
      ? null
      : {
          account: policy('account', t.account, ACCOUNT_POLICY),
          client: policy('client', t.client, CLIENT_POLICY),
          accountKey: t.accountKey ?? defaultAccountKey,
        }
  const absoluteTimeoutMs = seconds('absoluteTimeout', options.absoluteTimeout, 28800)
  return {
    mode: options.mode,
    verifyCredentials: options.verifyCredentials,
    accessTokenTtlMs: seconds('accessTokenTtl', options.accessTokenTtl, 300),
    idleTimeoutMs: seconds('idleTimeout', options.idleTimeout, 900),
    absoluteTimeoutMs,
    refreshTokenTtlMs: seconds('refreshTokenTtl', options.refreshTokenTtl, absoluteTimeoutMs / 1000),
    refreshToken,
    paths,
    cookieNames,
    csrfHeader,
    allowedOrigins,
    requireHeader: options.requireHeader ?? true,
    maxBodyBytes,
    throttle,
    now: options.now ?? Date.now,
  }
}
