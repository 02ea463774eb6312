/**
 * session-vault: keeps a web session's secrets in a dedicated Web Worker.
 * Every public export is named here.
 */

export type { Duration } from './duration.js'
export { parseDuration } from './duration.js'
export { SESSION_EVENTS } from './events.js'
export { createSession, Session } from './session.js'
export type { SessionVaultErrorCode } from './shared/errors.js'
export { isSessionVaultError, SessionVaultError } from './shared/errors.js'
export type {
  AuthOptions,
  ClearOptions,
  CookieAuthOptions,
  DebugEntry,
  DebugValue,
  DialogOptions,
  DialogTexts,
  IdleControls,
  IdleOptions,
  IdleSettingsUpdate,
  LogoutOptions,
  LogoutReason,
  MonitorOptions,
  OAuthAuthOptions,
  SessionEventName,
  SessionEvents,
  SessionInfo,
  SessionOptions,
  SessionState,
  StepUpChallenge,
  TokenAuthOptions,
} from './types.js'
