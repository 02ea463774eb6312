/** The two ways a session travels: a bearer token (+ refresh cookie), or an HttpOnly session cookie. */
export const MODES = ['token', 'cookie'] as const
export type Mode = (typeof MODES)[number]

/** The routes `handle()` answers; each path is configurable through `paths`. */
export const ROUTE_NAMES = [
  'login',
  'refresh',
  'logout',
  'keepalive',
  'status',
  'session',
  'sessions',
  'revokeOthers',
  'reauth',
] as const
export type RouteName = (typeof ROUTE_NAMES)[number]

/** Where the refresh token of token mode travels. */
export const REFRESH_TRANSPORTS = ['cookie', 'body'] as const
export type RefreshTransport = (typeof REFRESH_TRANSPORTS)[number]

/** Kinds of secrets the store keeps (as hashes). */
export const TOKEN_KINDS = ['access', 'refresh', 'cookie'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]

/** Lifecycle events given to the `logger` hook. */
export const LOG_EVENTS = [
  'login',
  'login_failed',
  'login_throttled',
  'login_refused',
  'relogin',
  'refresh',
  'refresh_rejected',
  'reuse_detected',
  'logout',
  'expired_idle',
  'expired_absolute',
  'revoked',
  'user_revoked',
  'renewed',
  'reauth',
  'reauth_failed',
  'check_failed',
  'check_throttled',
  'token_rejected',
  'csrf_rejected',
  'request_rejected',
  'store_unavailable',
  'server_error',
] as const
export type LogEventName = (typeof LOG_EVENTS)[number]

/** Why a session ended (the `reason` field of `revoked` / `expired_*` events). */
export const END_REASONS = [
  'logout',
  'reuse',
  'idle',
  'absolute',
  'user',
  'self',
  'others',
  'password_changed',
  'relogin',
  'admin',
] as const
export type EndReason = (typeof END_REASONS)[number]

/** Stable `code`s of the errors this library throws. */
export const ERROR_CODES = [
  'ERR_BAD_OPTIONS',
  'ERR_MISSING_PEER',
  'ERR_STORE_UNAVAILABLE',
  'ERR_STORE_FULL',
  'ERR_BODY_TOO_LARGE',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** OAuth-style `error` values of JSON error answers. */
export const WIRE_ERRORS = [
  'invalid_request',
  'invalid_grant',
  'unsupported_grant_type',
  'unsupported_media_type',
  'payload_too_large',
  'method_not_allowed',
  'invalid_token',
  'invalid_session',
  'invalid_csrf_token',
  'cross_site_request',
  'missing_session_vault_header',
  'too_many_requests',
  'not_found',
  'temporarily_unavailable',
  'server_error',
  'invalid_credentials',
  'insufficient_user_authentication',
] as const
export type WireError = (typeof WIRE_ERRORS)[number]
