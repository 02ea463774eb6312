/**
 * Stable error codes. They never change meaning between releases, so code may
 * branch on them (`err.code === 'ERR_SESSION_ENDED'`).
 */
export type SessionVaultErrorCode =
  /** An option is missing, of the wrong type, or impossible; the message names the field. */
  | 'ERR_BAD_OPTIONS'
  /** `session.fetch` was asked for an origin that is not in `trustedOrigins`; no request was made. */
  | 'ERR_UNTRUSTED_ORIGIN'
  /** `session.fetch` was asked for one of the vault's own auth endpoints, whose answers carry secrets. */
  | 'ERR_RESERVED_URL'
  /** The session has ended (logout, expiry, revocation, crash); make a new one to sign in again. */
  | 'ERR_SESSION_ENDED'
  /** The vault worker failed to load, threw, or stopped answering; the session ended with reason `error`. */
  | 'ERR_VAULT_CRASHED'
  /** The login endpoint refused the credentials (4xx). Nothing was stored. */
  | 'ERR_LOGIN_FAILED'
  /** A token endpoint answered 200 with something that is not a valid RFC 6749 section 5.1 token response. */
  | 'ERR_TOKEN_RESPONSE'
  /** OAuth redirect callback refused: wrong or missing `state`, missing `code`, `iss` mismatch, or an `error` from the provider. */
  | 'ERR_OAUTH_CALLBACK'
  /** The OAuth provider answered an error (`error`, `error_description`) to a token, refresh or discovery request. */
  | 'ERR_OAUTH'
  /** A network error or a 5xx reaching an auth endpoint. */
  | 'ERR_NETWORK'
  /** The method does not apply to the configured `auth.type`, or the session is not in a state that allows it. */
  | 'ERR_INVALID_STATE'
  /** Trusted Types are enforced but the `session-vault` policy could not be created (CSP `trusted-types` list). */
  | 'ERR_TRUSTED_TYPES'
  /** A bounded wait ran out: a `session.fetch` past `requestTimeout`, or a cross-tab lock held too long (by a hung tab or by script). */
  | 'ERR_TIMEOUT'
  /** A `session.fetch` response body grew past `maxBodyBytes`; the request was aborted. */
  | 'ERR_BODY_TOO_LARGE'
  /** `createSession` in a browser that lacks an API the vault cannot work without; the message names it. */
  | 'ERR_UNSUPPORTED'

const CODES: ReadonlySet<string> = new Set<SessionVaultErrorCode>([
  'ERR_BAD_OPTIONS',
  'ERR_UNTRUSTED_ORIGIN',
  'ERR_RESERVED_URL',
  'ERR_SESSION_ENDED',
  'ERR_VAULT_CRASHED',
  'ERR_LOGIN_FAILED',
  'ERR_TOKEN_RESPONSE',
  'ERR_OAUTH_CALLBACK',
  'ERR_OAUTH',
  'ERR_NETWORK',
  'ERR_INVALID_STATE',
  'ERR_TRUSTED_TYPES',
  'ERR_TIMEOUT',
  'ERR_BODY_TOO_LARGE',
  'ERR_UNSUPPORTED',
])

/**
 * The one error type the SDK throws. `name` is always `'SessionVaultError'`
 * and `code` is one of {@link SessionVaultErrorCode}. Messages never contain
 * a token, a credential or a URL query string.
 *
 * @example
 * try { await session.fetch('https://evil.example/') }
 * catch (err) { if (isSessionVaultError(err, 'ERR_UNTRUSTED_ORIGIN')) ... }
 */
export class SessionVaultError extends Error {
  override readonly name = 'SessionVaultError' as const
  readonly code: SessionVaultErrorCode

  constructor(code: SessionVaultErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** Whether `code` is one of the SDK's error codes. */
export const isErrorCode = (code: unknown): code is SessionVaultErrorCode =>
  typeof code === 'string' && CODES.has(code)

/**
 * Cross-realm guard (works for errors made in another window or rebuilt after
 * crossing the worker boundary): checks `name` and `code`, not `instanceof`.
 */
export function isSessionVaultError(value: unknown, code?: SessionVaultErrorCode): value is SessionVaultError {
  if (typeof value !== 'object' || value === null) return false
  const { name, code: actual } = value as { name?: unknown; code?: unknown }
  return name === 'SessionVaultError' && isErrorCode(actual) && (code === undefined || actual === code)
}
