/**
 * session-vault: keeps a web session's secrets in a dedicated Web Worker.
 * Every public export is named here.
 */
export { createSession, Session } from './session.js'
export { SessionVaultError, isSessionVaultError } from './shared/errors.js'
export type { SessionVaultErrorCode } from './shared/errors.js'
export { parseDuration } from './duration.js'
export type { Duration } from './duration.js'
export type {
  AuthOptions,
  ClearOptions,
  CookieAuthOptions,
  DialogOptions,
  DialogTexts,
  IdleOptions,
  LogoutOptions,
  LogoutReason,
  OAuthAuthOptions,
  SessionEventName,
  SessionEvents,
  SessionInfo,
  SessionOptions,
  SessionState,
  TokenAuthOptions,
} from './types.js'
