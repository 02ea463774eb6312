/**
 * The messages between the threads: what the page sends the vault, what the
 * vault answers, and how errors cross the boundary. No secrets are ever part
 * of a type here: the vault answers with `VaultInfo`, never with a token.
 */

import type { AuthConfig } from './auth-options.js'
import type { BodyWire } from './body-stream.js'
import type { DebugEntry } from './debug.js'
import { isErrorCode, SessionVaultError } from './errors.js'

export type { AuthConfig }

/** What the page tells the vault at start-up (all URLs absolute). */
export interface VaultConfig {
  auth: AuthConfig
  trustedOrigins: string[]
  /** Name shared by every tab of this app: Web Lock names derive from it. */
  channel: string
  /** Milliseconds the vault waits for the server's logout answer. */
  logoutTimeout: number
  /** `session.fetch` body limit in bytes; undefined: 64 MiB. */
  maxBodyBytes?: number
  /** `session.fetch` timeout in ms; 0: none. */
  requestTimeout?: number
  /** `idle.absoluteTimeout` in ms: a persisted absolute deadline is never later than sign-in plus this. */
  absoluteTimeout?: number
  /** The `debug` option is on: the vault sends its lifecycle entries as `debug` events. */
  debug?: boolean
}

/** The non-secret view of the vault's state. */
export interface VaultInfo {
  authenticated: boolean
  /** Epoch ms at which the current access token expires, when known. */
  expiresAt?: number
  /** The server's session deadlines, when it said (cookie mode's session endpoint). */
  server?: ServerDeadlines
  /** Non-secret ID token claims (OAuth). */
  claims?: Record<string, unknown>
  /** The restore could not find out whether a session exists (server unreachable, or a 5xx): ask again later. */
  unreachable?: true
  /**
   * What identifies the server-side session (its public `session_id`, else cookie mode's
   * absolute deadline as sent): tags the stored idle snapshot, so one left by another sign-in
   * is never adopted. Non-secret; never part of `session.info`.
   */
  sessionId?: string
}

/** Non-secret idle state shared by the tabs and persisted by the vault for reloads. Epoch ms. */
export interface IdleSnapshot {
  lastActivityAt: number
  /** When the session was signed in (or first seen in this browser): the absolute deadline derives from it. */
  signedInAt?: number
  absoluteDeadline?: number
  serverIdleDeadline?: number
  /** `session.idle.pause()` in some tab: since then the idle deadline does not come nearer (the absolute one does). */
  pausedAt?: number
}

/** The server's view of the session deadlines (epoch ms), from a keepalive. */
export interface ServerDeadlines {
  idleExpiresAt?: number
  absoluteExpiresAt?: number
}

/**
 * Why a session ended, once for the type, the channel validator and the docs:
 * `user` (`logout()` in this tab), `idle` / `absolute` (a timeout), `remote`
 * (`logout()` in another tab), `server` (the server refused the session: 401
 * to a refresh or keepalive), `revoked` (the refresh token was refused at
 * expiry, or a refresh answered for another session), `error` (the vault crashed).
 */
export const END_REASONS = ['user', 'idle', 'absolute', 'remote', 'server', 'revoked', 'error'] as const

export type EndReason = (typeof END_REASONS)[number]

/** What the vault pushes to the page without being asked. */
export type VaultEvent =
  | { type: 'info'; info: VaultInfo }
  | { type: 'ended'; reason: EndReason }
  /** A deadline set with `schedule` was reached. */
  | { type: 'wake' }
  /** Something failed that did not end the session. */
  | { type: 'error'; error: WireError }
  /** A lifecycle entry, with `debug` on (the page checks it again before use). */
  | { type: 'debug'; entry: DebugEntry }

export interface SerializedRequest {
  url: string
  method: string
  headers: [string, string][]
  /** The whole body, a stream handed over as is (`duplex: 'half'`), or none. */
  body: ArrayBuffer | ReadableStream<Uint8Array> | null
  credentials: RequestCredentials
  cache: RequestCache
  redirect: RequestRedirect
  referrerPolicy: ReferrerPolicy
  integrity: string
  keepalive: boolean
}

export interface SerializedResponse {
  url: string
  redirected: boolean
  type: ResponseType
  status: number
  statusText: string
  headers: [string, string][]
  /** A small body whole, a streamed one ({@link BodyWire}), or none. */
  body: ArrayBuffer | BodyWire | null
}

export interface LogoutResult {
  serverConfirmed: boolean
  /** OAuth RP-initiated logout: where the page should navigate next (carries no token). */
  endSessionUrl?: string
}

/** The vault's method names, once: the RPC layer accepts these and no others ({@link VaultApi} must match). */
export const VAULT_METHODS = [
  'init',
  'login',
  'loginWithRedirect',
  'handleRedirectCallback',
  'restore',
  'schedule',
  'keepalive',
  'status',
  'reauthenticate',
  'saveIdle',
  'fetch',
  'abort',
  'ping',
  'logout',
] as const

export type VaultMethod = (typeof VAULT_METHODS)[number]

/** The vault's API (see `rpc.ts` for how calls travel). Events come back as {@link VaultEvent}s. */
export interface VaultApi {
  /** Starts the vault and restores any existing session; also returns the persisted idle state. */
  init(config: VaultConfig): Promise<{ info: VaultInfo; idle?: IdleSnapshot }>
  login(credentials: unknown): Promise<VaultInfo>
  /** OAuth: makes state, nonce and the PKCE verifier; returns the authorization URL to navigate to. */
  loginWithRedirect(params: Record<string, string>): Promise<string>
  /** OAuth: checks the callback URL and exchanges the code; returns the info with non-secret claims (and a step-up's `returnTo`). */
  handleRedirectCallback(url: string): Promise<{ info: VaultInfo; returnTo?: string }>
  /** Looks for a session again (another tab signed in). */
  restore(): Promise<VaultInfo>
  /** Sets the vault's one wake-up timer (worker timers are not throttled in hidden tabs); null clears it. */
  schedule(at: number | null): void
  keepalive(): Promise<ServerDeadlines | null>
  /** The revocation monitor's check: the deadlines as the keepalive gives them, without sliding. Null without a status endpoint. */
  status(): Promise<ServerDeadlines | null>
  /** Step-up: sends the credentials to the re-auth endpoint; the session stays (new tokens, a fresh auth time). */
  reauthenticate(credentials: unknown): Promise<VaultInfo>
  saveIdle(snapshot: IdleSnapshot): Promise<void>
  fetch(id: number, request: SerializedRequest): Promise<SerializedResponse>
  abort(id: number): void
  ping(): string
  logout(callServer: boolean): Promise<LogoutResult>
}

/** Compile-time proof that {@link VAULT_METHODS} lists every method of {@link VaultApi}, and nothing else. */
type MethodsListed = [keyof VaultApi] extends [VaultMethod]
  ? [VaultMethod] extends [keyof VaultApi]
    ? true
    : never
  : never
true satisfies MethodsListed

/** An error as it crosses the worker boundary: name, code, message and a step-up challenge only (no stack, no cause). */
export interface WireError {
  name: string
  message: string
  code?: string
  acrValues?: string[]
  maxAge?: number
}

/** The step-up fields of an error, when they are well-formed (they come from the other thread). */
function challengeOf(value: { acrValues?: unknown; maxAge?: unknown }): { acrValues?: string[]; maxAge?: number } {
  const { acrValues, maxAge } = value
  return {
    ...(Array.isArray(acrValues) && acrValues.every(v => typeof v === 'string') ? { acrValues: [...acrValues] } : {}),
    ...(Number.isSafeInteger(maxAge) && (maxAge as number) >= 0 ? { maxAge: maxAge as number } : {}),
  }
}

export function toWireError(value: unknown): WireError {
  if (value instanceof Error || (typeof value === 'object' && value !== null && 'message' in value)) {
    const { name, message, code } = value as { name?: unknown; message?: unknown; code?: unknown }
    return {
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : 'Unknown error',
      ...(isErrorCode(code) ? { code, ...challengeOf(value as { acrValues?: unknown; maxAge?: unknown }) } : {}),
    }
  }
  return { name: 'Error', message: 'Unknown error' }
}

export function fromWireError(wire: WireError): Error {
  if (isErrorCode(wire.code)) return new SessionVaultError(wire.code, wire.message, challengeOf(wire))
  if (wire.name === 'AbortError' || wire.name === 'TimeoutError') return new DOMException(wire.message, wire.name)
  if (wire.name === 'TypeError') return new TypeError(wire.message)
  return new Error(wire.message)
}
