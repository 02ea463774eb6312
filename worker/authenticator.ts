import type { EndReason, ServerDeadlines, VaultInfo } from '../src/shared/protocol.js'

/** Credentials for one request: `apply` adds them; `generation` says which token set they came from. */
export interface Grant {
  generation: number
  apply(headers: Headers, request: { method: string; url: string }): Promise<void> | void
}

/** How an authenticator tells the vault about changes it made on its own. */
export interface AuthHooks {
  /** Ends the session (refresh refused, keepalive 401...). */
  end(reason: EndReason): void
  /** The non-secret info changed (new expiry after a refresh). */
  changed(): void
  /** Something failed that does not end the session (reported to the page as an `error` event). */
  error(error: unknown): void
}

/** One way of authenticating (token, cookie, oauth). Secrets stay inside its instance. */
export interface Authenticator {
  info(): VaultInfo
  /**
   * Start-up: find out whether a session exists (refresh once, ask the session endpoint...).
   * Resolves false when that could not be found out (the server unreachable, or a 5xx): worth asking again.
   */
  restore(): Promise<boolean>
  login(credentials: unknown): Promise<void>
  /** Credentials for the next request (refreshing first when they are about to expire), or null when anonymous. */
  grant(): Promise<Grant | null>
  /** After a 401 answered to `used`: fresh credentials, or null when the session is gone (it has then been ended). */
  recover(used: Grant, response?: Response): Promise<Grant | null>
  /** Tells the server the user is active. Null when there is no keepalive endpoint. */
  keepalive(): Promise<ServerDeadlines | null>
  /** Like {@link keepalive} without counting as activity (the revocation monitor). Null when there is no status endpoint. */
  status?(): Promise<ServerDeadlines | null>
  /** Step-up: re-checks the credentials for this same session. Rejects `ERR_LOGIN_FAILED` when refused (the session stays). */
  reauthenticate?(credentials: unknown): Promise<void>
  /** Asks the server to end the session; resolves whether it confirmed. Never throws, never hangs past `timeoutMs`. */
  logout(timeoutMs: number): Promise<boolean>
  /** OAuth only: the authorization URL for a redirect login. */
  authorizationUrl?(params: Record<string, string>): Promise<string>
  /** OAuth only: completes the redirect login from the callback URL; a step-up says where to return. */
  callback?(url: string): Promise<{ returnTo?: string }>
  /** OAuth only: the RP-initiated logout URL to visit after the wipe (computed before it). */
  endSessionUrl?(): Promise<string | undefined>
  /** URLs whose answers carry secrets: `session.fetch` refuses them. */
  isReserved(url: string): boolean
  /** Forgets every secret. */
  wipe(): Promise<void>
}
