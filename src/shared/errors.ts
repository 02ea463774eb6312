/** Every error code, once: the type and the runtime guard both derive from this list. */
export const ERROR_CODES = [
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
  'ERR_LOAD_FAILED',
  'ERR_STEP_UP_REQUIRED',
  'ERR_EVENT_STREAM',
] as const

/**
 * Stable error codes. They never change meaning between releases, so code may
 * branch on them (`err.code === 'ERR_SESSION_ENDED'`).
 *
 * - `ERR_BAD_OPTIONS`: an option or argument is missing, of the wrong type, or impossible; the message names it.
 * - `ERR_UNTRUSTED_ORIGIN`: `session.fetch` was asked for an origin not in `trustedOrigins`; no request was made.
 * - `ERR_RESERVED_URL`: `session.fetch` was asked for one of the vault's own auth endpoints, whose answers carry secrets.
 * - `ERR_SESSION_ENDED`: the session has ended (logout, expiry, revocation); make a new one to sign in again.
 * - `ERR_VAULT_CRASHED`: the vault worker failed to load, threw, or stopped answering; the session ended with reason `error`.
 * - `ERR_LOGIN_FAILED`: the login endpoint refused the credentials (4xx). Nothing was stored.
 * - `ERR_TOKEN_RESPONSE`: an auth endpoint answered 200 with something that is not a valid answer
 *   (RFC 6749 section 5.1 token response, or cookie mode's session answer).
 * - `ERR_OAUTH_CALLBACK`: the OAuth redirect callback was refused: wrong or missing `state`, missing `code`,
 *   `iss` mismatch, or an `error` from the provider.
 * - `ERR_OAUTH`: the OAuth provider answered an error to a token, refresh or discovery request.
 * - `ERR_NETWORK`: a network error or a 5xx reaching an auth endpoint.
 * - `ERR_INVALID_STATE`: the method does not apply to the configured `auth.type`, or the session is not in a
 *   state that allows it (already signed in; credentials that can no longer be attached).
 * - `ERR_TRUSTED_TYPES`: Trusted Types are enforced but the `session-vault` policy could not be created.
 * - `ERR_TIMEOUT`: a bounded wait ran out: a `session.fetch` past `requestTimeout`, or a cross-tab lock held too long.
 * - `ERR_BODY_TOO_LARGE`: a `session.fetch` response body grew past `maxBodyBytes`; the request was aborted.
 * - `ERR_UNSUPPORTED`: `createSession` in a browser that lacks an API the vault cannot work without; the message names it.
 * - `ERR_LOAD_FAILED`: an on-demand module (the default warning dialog) could not be loaded: network, CSP,
 *   or a bundler that did not emit it. The session goes on; only the dialog is missing.
 * - `ERR_STEP_UP_REQUIRED`: the server answered a `session.fetch` with an RFC 9470 step-up challenge
 *   (a 401 or 403 whose `WWW-Authenticate` says `error="insufficient_user_authentication"`). The session
 *   stays; `acrValues` and `maxAge` say what the server asked for.
 * - `ERR_EVENT_STREAM`: `subscribe` (`session-vault/sse`) got an answer that is not an event stream: a status
 *   other than 200 or 204, or a `Content-Type` other than `text/event-stream` (the message says which). It does
 *   not reconnect, as `EventSource` does not.
 */
export type SessionVaultErrorCode = (typeof ERROR_CODES)[number]

const CODES: ReadonlySet<string> = new Set(ERROR_CODES)

/**
 * The one error type the SDK throws. `name` is always `'SessionVaultError'`
 * and `code` is one of {@link SessionVaultErrorCode}. Messages never contain
 * a token, a credential or a URL query string. `cause`, when set, is the
 * underlying error (never one whose message could quote a secret); it does
 * not cross the worker boundary.
 *
 * @example
 * try { await session.fetch('https://evil.example/') }
 * catch (err) { if (isSessionVaultError(err, 'ERR_UNTRUSTED_ORIGIN')) ... }
 */
export class SessionVaultError extends Error {
  override readonly name = 'SessionVaultError' as const
  readonly code: SessionVaultErrorCode
  /** `ERR_STEP_UP_REQUIRED`: the acceptable authentication context classes the server asked for (`acr_values`). */
  readonly acrValues?: string[]
  /** `ERR_STEP_UP_REQUIRED`: the most seconds the authentication may be old (`max_age`). */
  readonly maxAge?: number

  constructor(
    code: SessionVaultErrorCode,
    message: string,
    options?: { cause?: unknown; acrValues?: string[]; maxAge?: number },
  ) {
    super(message, options)
    this.code = code
    if (options?.acrValues) this.acrValues = [...options.acrValues]
    if (options?.maxAge !== undefined) this.maxAge = options.maxAge
  }
}

/** Whether `code` is one of the SDK's error codes. */
export const isErrorCode = (code: unknown): code is SessionVaultErrorCode => typeof code === 'string' && CODES.has(code)

/**
 * Cross-realm guard (works for errors made in another window or rebuilt after
 * crossing the worker boundary): checks `name` and `code`, not `instanceof`.
 */
export function isSessionVaultError(value: unknown, code?: SessionVaultErrorCode): value is SessionVaultError {
  if (typeof value !== 'object' || value === null) return false
  const { name, code: actual } = value as { name?: unknown; code?: unknown }
  return name === 'SessionVaultError' && isErrorCode(actual) && (code === undefined || actual === code)
}

/** `ERR_SESSION_ENDED`, as every call after the end rejects. */
export const sessionEnded = (why = 'The session has ended'): SessionVaultError =>
  new SessionVaultError('ERR_SESSION_ENDED', why)
