import type { Duration } from './duration.js'
import type { SESSION_EVENTS } from './events.js'
import type { AuthOptions } from './shared/auth-options.js'
import type { DebugEntry } from './shared/debug.js'
import type { SessionVaultError } from './shared/errors.js'
import type { EndReason } from './shared/protocol.js'

export type { AuthOptions, CookieAuthOptions, OAuthAuthOptions, TokenAuthOptions } from './shared/auth-options.js'
export type { DebugEntry, DebugValue } from './shared/debug.js'

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
  /**
   * Also count those events in the page's same-origin iframes (an editor in a
   * frame), including frames added or navigated later. Frames of another
   * origin cannot be listened to.
   * @default false
   */
  frames?: boolean
}

/** What `session.idle.update()` may change, at run time and in every tab. */
export type IdleSettingsUpdate = Partial<
  Pick<IdleOptions, 'timeout' | 'warnBefore' | 'absoluteTimeout' | 'keepaliveInterval'>
>

/**
 * `session.idle`: the idle clock's controls and state, for custom UIs and
 * framework adapters. One clock per tab, shared by the tabs: nothing here
 * starts a second timer.
 */
export interface IdleControls {
  /**
   * `inactive` (not signed in, or `idle: false`), `active`, `paused`
   * (`pause()` in some tab; the absolute timeout still runs) or `warning`.
   */
  readonly phase: 'inactive' | 'active' | 'paused' | 'warning'
  /** Milliseconds to the nearer deadline (idle or absolute); undefined while `inactive`. */
  readonly remainingMs: number | undefined
  /** Pauses the idle timeout in every tab (a video, a long upload); keepalives go on, the absolute timeout is never paused. */
  pause(): void
  /** Ends the pause in every tab; counts as activity. */
  resume(): void
  /**
   * Changes the idle settings in every open tab of the app (a stricter timeout
   * on an admin page), validated like the options. The absolute deadline can
   * come nearer, never later. Tabs opened later use their own options.
   * @throws SessionVaultError `ERR_BAD_OPTIONS` naming the field; `ERR_INVALID_STATE` with `idle: false`
   * @example session.idle.update({ timeout: '5m', warnBefore: '30s' })
   */
  update(settings: IdleSettingsUpdate): void
  /**
   * Calls `listener` when `phase` changes, a deadline moves, or the countdown
   * ticks a second during a warning; returns the unsubscribe function (for
   * `useSyncExternalStore` and the like).
   */
  subscribe(listener: () => void): () => void
}

/** The revocation monitor: a status check that notices a session ended elsewhere while this one is idle. */
export interface MonitorOptions {
  /**
   * Time between two status checks (`POST auth.statusUrl`), made by one tab of
   * the app at a time. A check never counts as activity and never slides the
   * server's idle timer; a 401 ends the session in every tab with reason `server`.
   * @example '1m'
   */
  interval: Duration
  /**
   * Also check at once when a tab regains focus or becomes visible (at most once per second).
   * @default true
   */
  onFocus?: boolean
}

/**
 * Texts of the default warning dialog. Each one left out comes from the dialog's language
 * (see {@link DialogOptions.locale}). Messages are a template, where `{remaining}` stands for
 * the remaining time (a string works in the script tag's JSON), or a function of it.
 */
export interface DialogTexts {
  /** @default 'Your session is about to expire' */
  title?: string
  /**
   * @default 'You will be signed out in {remaining} because of inactivity.'
   * @example 'Sie werden in {remaining} abgemeldet.'
   */
  idleMessage?: string | ((remaining: string) => string)
  /** @default 'Your session reaches its time limit in {remaining}. Save your work.' */
  absoluteMessage?: string | ((remaining: string) => string)
  /** @default 'Stay signed in' */
  stay?: string
  /** @default 'Sign out now' */
  signOut?: string
  /** Closes the absolute-timeout warning (which cannot be extended). @default 'Continue' */
  dismiss?: string
  /**
   * Formats remaining milliseconds, for the countdown and what screen readers hear.
   * @default the locale's clock digits (`01:05`) shown, its words (`1 minute, 5 seconds`) spoken, through `Intl`
   */
  formatRemaining?: (ms: number) => string
}

/** The default idle warning dialog. */
export interface DialogOptions {
  /**
   * The dialog's language (a BCP 47 tag): it formats the remaining time through `Intl`
   * (`Intl.DurationFormat` where the engine has it) and picks the default texts. Arabic,
   * German, English, French, Hebrew, Japanese and Spanish ship, each in its own file loaded
   * only when used; other languages get English texts with their own number formats. The
   * dialog gets `lang`, and `dir="rtl"` for right-to-left scripts.
   * @default document.documentElement.lang, else 'en'
   * @example 'de-AT'
   */
  locale?: string
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

/** What happens once the session has ended, in every tab. */
export interface LogoutOptions {
  /**
   * Where every tab goes after the session ends (`location.replace`).
   * @default undefined (stay on the page)
   * @example '/signed-out'
   */
  redirectTo?: string
  /**
   * Local storage the SDK clears itself after the vault is wiped: the fallback for browsers or servers
   * where `Clear-Site-Data` did not run (it is ignored on redirects in WebKit, for example).
   * @default {} (nothing besides the vault)
   * @example { localStorage: ['draft'], caches: true }
   */
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
   * Notices a session revoked elsewhere (signed out from another device, a
   * password change, an admin) while the user is idle, by polling
   * `auth.statusUrl` (token and cookie mode).
   * @default false
   * @example { interval: '1m' }
   */
  monitor?: false | MonitorOptions
  /**
   * Diagnostics: the session's lifecycle from both threads (restore, refresh and
   * its lock wait, keepalive, status checks, the server clock's offset, events,
   * logout steps). `true` logs each entry with `console.debug`; a function
   * receives them instead. Entries hold only numbers, booleans and short names,
   * never a token, code, verifier, proof, cookie, CSRF token, URL or body.
   * @default false
   * @example debug: entry => myLogger.debug(entry.event, entry.data)
   */
  debug?: boolean | ((entry: DebugEntry) => void)
  /**
   * BroadcastChannel (and Web Lock) name shared by the tabs of this app. Two apps on one origin
   * that must not end each other's sessions need different names.
   * @default `session-vault:${location.origin}`, plus `:${auth.clientId}` in OAuth mode
   * @example 'session-vault:admin'
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

/**
 * Why the session ended:
 * - `user`: `session.logout()` in this tab, or the dialog's "Sign out now";
 * - `idle`: no activity in any tab until the idle deadline;
 * - `absolute`: `idle.absoluteTimeout` (or the server's absolute deadline) was reached;
 * - `remote`: the user logged out in another tab of this app;
 * - `server`: the server answered 401 and the session could not be renewed, or a keepalive was refused;
 * - `revoked`: the refresh was refused (revoked or expired refresh token), or the server answered with
 *   tokens of another session, which the vault never adopts;
 * - `error`: the vault failed (`ERR_VAULT_CRASHED`): the SDK fails closed.
 */
export type LogoutReason = EndReason

/** What an RFC 9470 step-up challenge asks for (`WWW-Authenticate: Bearer error="insufficient_user_authentication"`). */
export interface StepUpChallenge {
  /** Acceptable authentication context classes (`acr_values`), in the server's order of preference. */
  acrValues?: string[]
  /** The authentication must be at most this many seconds old (`max_age`). */
  maxAge?: number
}

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
  /**
   * Signed out for now, but not known yet: the start-up restore could not reach the server (a network
   * error or a 5xx) and is being retried, with backoff (about 1, 2, 4 … 30 s) and at once when the page
   * comes back online or gets the focus. Show "reconnecting" rather than a sign-in form that cannot work
   * either; when the server answers, the tab signs in by itself (`authenticated`) or `restoring` ends
   * (`restoring` event with `active: false`). `session.login()` stops the retries.
   */
  restoring?: boolean
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
  /** A start-up restore the server did not answer is being retried (`active`, next try at `retryAt`), or no longer is. */
  restoring: { active: boolean; retryAt?: number }
  /**
   * A `session.fetch` was refused with an RFC 9470 step-up challenge (it rejected
   * `ERR_STEP_UP_REQUIRED`); the session stays. Re-authenticate (`reauthenticate`,
   * or OAuth's `loginWithRedirect({ acr_values, max_age })`) and try again.
   */
  'step-up': StepUpChallenge
  /** Something failed that did not end the session (for example a keepalive network error). */
  error: SessionVaultError
}

/** The name of an event of {@link SessionEvents}: one of {@link SESSION_EVENTS}. */
export type SessionEventName = (typeof SESSION_EVENTS)[number]
