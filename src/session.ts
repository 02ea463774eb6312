// The public facade, over 300 lines because its TSDoc is the API reference users read. It only
// wires the parts: termination.ts (the logout sequence), tab-channel.ts (the other tabs),
// idle-host.ts (the idle clock and the dialog) and vault-client.ts (the worker).
import { listenForWake } from './activity.js'
import { clearLocal } from './clear.js'
import { Emitter } from './emitter.js'
import { freshSnapshot, IdleHosting, restoredSnapshot } from './idle-host.js'
import { StatusMonitor } from './monitor.js'
import { removeCallbackParams } from './oauth-callback.js'
import {
  type NormalizedIdle,
  type NormalizedMonitor,
  type NormalizedOptions,
  normalizeOptions,
  updatedIdle,
} from './options.js'
import { type RestoreOutcome, RestoreRetry } from './restore-retry.js'
import { type DebugEntry, debugEntry } from './shared/debug.js'
import { isSessionVaultError, SessionVaultError, sessionEnded } from './shared/errors.js'
import { withLockOrWithout } from './shared/locks.js'
import { type EndReason, fromWireError, type IdleSnapshot, type VaultEvent, type VaultInfo } from './shared/protocol.js'
import { serializeRequest, signalOf } from './shared/serialize.js'
import { assertSupported } from './support.js'
import { randomId, TabChannel, type TabMessage } from './tab-channel.js'
import { Termination } from './termination.js'
import type {
  IdleControls,
  LogoutReason,
  SessionEventName,
  SessionEvents,
  SessionInfo,
  SessionOptions,
  SessionState,
} from './types.js'
import { fetchThroughVault, type Trace, VaultClient, vaultConfigOf } from './vault-client.js'

const defaultWorkerUrl: string | undefined = (() => {
  try {
    return new URL('./vault.worker.js', import.meta.url).href
  } catch {
    return undefined
  }
})()

/** The session this page made last. */
let latest: Session | undefined

/** WCAG 2.2.1 (Timing Adjustable): a user must get at least 20 seconds to ask for more time. */
const WCAG_MIN_WARN_MS = 20_000
let warnedShortWarning = false

function warnIfTooShort(idle: NormalizedIdle | false): void {
  if (!idle || idle.warnBefore >= WCAG_MIN_WARN_MS || warnedShortWarning) return
  warnedShortWarning = true
  console.warn(
    `session-vault: idle.warnBefore is ${Math.round(idle.warnBefore / 1000)} s; WCAG 2.2.1 (Timing Adjustable) asks for at least 20 s to extend the session`,
  )
}

/**
 * One browser session: a vault worker holding the secrets, the idle clock, the
 * cross-tab channel and (optionally) the warning dialog. A session ends once;
 * create a new one to sign in again after it ended.
 */
export class Session {
  /** Resolves once the vault is up and any existing session was restored; rejects `ERR_VAULT_CRASHED`. */
  readonly ready: Promise<void>
  readonly #options: NormalizedOptions
  readonly #events: Emitter<SessionEvents>
  readonly #vault: VaultClient
  readonly #tabs: TabChannel
  readonly #detach: (() => void)[] = []
  readonly #tabId = randomId()
  #state: SessionState = 'anonymous'
  #info: VaultInfo = { authenticated: false }
  #hosting: IdleHosting | undefined
  #monitor: StatusMonitor | undefined
  readonly #termination: Termination
  #closing = false
  #crashed: SessionVaultError | undefined
  #fetchId = 0
  readonly #idleListeners = new Set<() => void>()
  /** The idle clock's controls and state (see {@link IdleControls}). */
  readonly idle: IdleControls = this.#idleControls()
  readonly #restoreRetry = new RestoreRetry(
    () => this.#restoreAgain(),
    state => this.#events.emit('restoring', state),
  )

  constructor(options: SessionOptions) {
    // A fetch to hand to HTTP clients as is (`ky.create({ fetch: session.fetch })`).
    this.fetch = this.fetch.bind(this)
    this.#options = normalizeOptions(options, { base: location.href, origin: location.origin, defaultWorkerUrl })
    warnIfTooShort(this.#options.idle)
    const trace = this.#options.debug ? this.#trace.bind(this) : undefined
    this.#events = new Emitter<SessionEvents>(trace && ((name, payload) => traceEvent(trace, name, payload)))
    assertSupported(this.#options.auth)
    this.#vault = new VaultClient(
      this.#options.workerUrl,
      event => this.#vaultEvent(event),
      error => {
        this.#crashed = error
        void this.#termination.run('error', false)
      },
      trace,
    )
    this.#tabs = new TabChannel(this.#options.channel, message => this.#receive(message))
    this.#termination = new Termination({
      trace,
      options: this.#options,
      vault: this.#vault,
      tabs: this.#tabs,
      stop: () => {
        this.#closing = true
        this.#state = 'ended'
        this.#restoreRetry.stop()
        this.#monitor?.stop()
        this.#hosting?.stop()
        this.#idleChanged()
      },
      teardown: async () => {
        this.#teardown()
        await clearLocal(this.#options.logout.clear)
      },
      ended: (reason, serverConfirmed) => {
        this.#info = { authenticated: false }
        this.#events.emit('logout', { reason, serverConfirmed })
      },
    })
    this.#detach.push(
      listenForWake(event => {
        this.#idle?.check()
        if (event.type === 'online' || event.type === 'focus') this.#restoreRetry.now()
        if (event.type !== 'visibilitychange' || document.visibilityState === 'visible') this.#monitor?.focus()
      }),
    )
    // Kept after the session ends: a page restored from the back/forward cache after logout must
    // leave, unless the page has started a newer session since (an SPA that signs in again).
    latest = this
    addEventListener('pageshow', event => {
      if (event.persisted && this.#termination.started && latest === this) this.#leaveAfterLogout()
    })
    this.ready = this.#start()
    this.ready.catch(() => {})
  }

  /** `anonymous`, `authenticated`, `warning` (idle warning open) or `ended`. */
  get state(): SessionState {
    return this.#state
  }

  /** What the page may know: never a token. `restoring` while a restore the server did not answer is retried. */
  get info(): SessionInfo {
    if (this.#state !== 'authenticated' && this.#state !== 'warning')
      return this.#restoreRetry.active && this.#state === 'anonymous'
        ? { authenticated: false, restoring: true }
        : { authenticated: false }
    const { expiresAt, claims } = this.#info
    const info: SessionInfo = { authenticated: true, ...this.#idle?.deadlines }
    if (expiresAt !== undefined) info.expiresAt = expiresAt
    if (claims) info.claims = { ...claims }
    return info
  }

  /**
   * Signs in with first-party credentials (`auth.type: 'token'`): the vault
   * POSTs them to `auth.loginUrl` and keeps the tokens.
   * @throws SessionVaultError `ERR_LOGIN_FAILED` (4xx), `ERR_TOKEN_RESPONSE` (malformed 200), `ERR_NETWORK`, `ERR_INVALID_STATE` (already signed in), `ERR_SESSION_ENDED`
   * @example await session.login({ username: 'alice', password: 'correct horse' })
   */
  async login(credentials: unknown): Promise<void> {
    await this.#anonymousOrThrow()
    this.#restoreRetry.stop()
    this.#signedIn(await this.#vault.request('login', credentials))
  }

  /**
   * OAuth sign-in (`auth.type: 'oauth'`): the vault makes `state`, `nonce` and
   * a PKCE S256 verifier, then the page navigates to the authorization server.
   * `params` are extra authorization request parameters (e.g. `{ prompt: 'login' }`).
   *
   * Step-up (RFC 9470), also while signed in: pass what an `ERR_STEP_UP_REQUIRED`
   * asked for as `max_age` and/or `acr_values`, and `returnTo` (a same-origin URL,
   * not sent to the server) for `handleRedirectCallback` to hand back. The new ID
   * token must then prove it (`auth_time`, `acr`) and name the same user.
   * @throws SessionVaultError `ERR_INVALID_STATE` for other auth types, or when signed in without a step-up; `ERR_BAD_OPTIONS`
   * @example await session.loginWithRedirect({ max_age: String(error.maxAge), returnTo: location.href })
   */
  async loginWithRedirect(params: Record<string, string> = {}): Promise<void> {
    await this.#readyOrThrow()
    const url = await this.#vault.request('loginWithRedirect', { ...params })
    location.assign(url)
  }

  /**
   * Completes an OAuth sign-in on the `redirectUri` page: checks `state` (and
   * `iss`), exchanges the code inside the vault, validates the ID token, and
   * removes `code`, `state` and `iss` from the address bar.
   * Resolves the step-up's `returnTo`, when `loginWithRedirect` was given one.
   * @throws SessionVaultError `ERR_OAUTH_CALLBACK` (wrong state, missing code, provider error, a step-up whose
   *   `auth_time` or `acr` does not prove what was asked), `ERR_TOKEN_RESPONSE`
   */
  async handleRedirectCallback(url: string = location.href): Promise<{ returnTo?: string }> {
    await this.#readyOrThrow()
    try {
      const { info, returnTo } = await this.#vault.request('handleRedirectCallback', url)
      // A step-up on a page that had restored the session: the same session, upgraded tokens.
      if (this.#state === 'authenticated' || this.#state === 'warning') this.#info = info
      else this.#signedIn(info)
      return returnTo === undefined ? {} : { returnTo }
    } finally {
      if (url === location.href) removeCallbackParams()
    }
  }

  /**
   * `fetch` through the vault: credentials are attached inside the worker, and
   * only for `trustedOrigins`. Resolves a real `Response`.
   * @throws SessionVaultError `ERR_UNTRUSTED_ORIGIN` (no request made), `ERR_SESSION_ENDED`, `ERR_VAULT_CRASHED`,
   *   `ERR_STEP_UP_REQUIRED` (the server asks for a fresh authentication: see {@link reauthenticate}; a `step-up` event fires too)
   * @example const notes = await (await session.fetch('/api/notes')).json()
   */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (this.#closing) throw this.#endedError()
    const signal = signalOf(input, init)
    signal?.throwIfAborted()
    const request = await serializeRequest(input, init)
    await this.#readyOrThrow()
    if (this.#closing) throw this.#endedError()
    try {
      return await fetchThroughVault(this.#vault, ++this.#fetchId, request, signal)
    } catch (error) {
      if (isSessionVaultError(error, 'ERR_STEP_UP_REQUIRED')) {
        const { acrValues, maxAge } = error
        this.#events.emit('step-up', {
          ...(acrValues ? { acrValues: [...acrValues] } : {}),
          ...(maxAge !== undefined ? { maxAge } : {}),
        })
      }
      throw error
    }
  }

  /**
   * Step-up re-authentication in token and cookie mode: the vault POSTs the
   * credentials (JSON) to `auth.reauthUrl` with the session's own credentials,
   * and keeps the session: new tokens (or a rotated cookie's CSRF token), the
   * same user, a fresh authentication time. Retry the refused request after it.
   * OAuth mode re-authenticates with `loginWithRedirect({ max_age, acr_values })`.
   * @throws SessionVaultError `ERR_LOGIN_FAILED` (refused: the session stays as it was), `ERR_INVALID_STATE`
   *   (not signed in, no `auth.reauthUrl`, OAuth), `ERR_NETWORK`, `ERR_SESSION_ENDED` (the server no longer knew the session: it ended)
   * @example
   * try { await session.fetch('/api/notes', { method: 'DELETE' }) }
   * catch (error) {
   *   if (!isSessionVaultError(error, 'ERR_STEP_UP_REQUIRED')) throw error
   *   await session.reauthenticate({ username, password: await askForPassword() })
   *   await session.fetch('/api/notes', { method: 'DELETE' })
   * }
   */
  async reauthenticate(credentials: unknown): Promise<void> {
    await this.#readyOrThrow()
    if (this.#state !== 'authenticated' && this.#state !== 'warning')
      throw new SessionVaultError('ERR_INVALID_STATE', 'reauthenticate needs a signed-in session')
    const info = await this.#vault.request('reauthenticate', credentials)
    if (!this.#closing) this.#info = info
  }

  /**
   * "Stay signed in": counts as activity in every tab, closes the warning
   * everywhere and calls the keepalive. Does nothing for the absolute timeout.
   */
  extend(): Promise<void> {
    return this.#idle?.extend() ?? Promise.resolve()
  }

  /**
   * Ends the session in every tab: the vault tells the server (which should
   * answer `Clear-Site-Data`), wipes itself and stops; then `logout.clear` is
   * applied, `logout` is emitted and the page goes to `logout.redirectTo`.
   * Safe to call twice, or in two tabs at once.
   */
  logout(options: { reason?: LogoutReason } = {}): Promise<void> {
    return this.#endEverywhere(options.reason ?? 'user')
  }

  /**
   * Subscribes to an event; returns the unsubscribe function.
   * @example session.on('warning', ({ remainingMs }) => console.log(remainingMs))
   */
  on<K extends SessionEventName>(name: K, handler: (payload: SessionEvents[K]) => void): () => void {
    return this.#events.on(name, handler)
  }

  /** Detaches listeners and stops the vault without logging out (the server session lives on). */
  destroy(): void {
    if (latest === this) latest = undefined
    if (this.#state === 'ended') return
    this.#closing = true
    this.#restoreRetry.stop()
    this.#monitor?.stop()
    this.#idle?.stop()
    this.#state = 'ended'
    this.#idleChanged()
    this.#vault.terminate()
    this.#tabs.close()
    this.#teardown()
  }

  async #start(): Promise<void> {
    await this.#vault.started()
    const { info, idle } = await this.#vault.request('init', vaultConfigOf(this.#options))
    if (this.#closing) return
    if (info.authenticated) this.#restored(info, idle)
    else if (info.unreachable) this.#restoreRetry.start()
  }

  /** Asks the vault again (a retry, see {@link RestoreRetry}, or another tab signed in) and adopts a session it finds. */
  async #restoreAgain(): Promise<RestoreOutcome> {
    const info = await this.#vault.request('restore')
    if (this.#closing || this.#state !== 'anonymous') return 'known'
    if (info.authenticated) this.#restored(info, undefined)
    return info.unreachable ? 'unknown' : 'known'
  }

  async #readyOrThrow(): Promise<void> {
    if (this.#closing) throw this.#endedError()
    await this.ready
    if (this.#closing) throw this.#endedError()
  }

  async #anonymousOrThrow(): Promise<void> {
    await this.#readyOrThrow()
    if (this.#state !== 'anonymous')
      throw new SessionVaultError('ERR_INVALID_STATE', 'Already signed in: log out first')
  }

  /** A sign-in in this tab: a fresh idle clock, and the other tabs are told. */
  #signedIn(info: VaultInfo): void {
    if (this.#closing) throw this.#endedError()
    const now = Date.now()
    this.#authenticated(info, freshSnapshot(now, this.#options.idle))
    this.#tabs.post({ type: 'login', at: now })
  }

  #vaultEvent(event: VaultEvent): void {
    if (event.type === 'debug') {
      const { entry } = event as { entry?: Partial<DebugEntry> }
      if (this.#options.debug) this.#options.debug(debugEntry('vault', entry?.event, entry?.data, entry?.at))
      return
    }
    if (this.#closing) return
    if (event.type === 'wake') this.#idle?.check()
    else if (event.type === 'info') this.#info = event.info
    else if (event.type === 'ended') void this.#endEverywhere(event.reason)
    else if (event.type === 'error') this.#events.emit('error', fromWireError(event.error) as SessionVaultError)
  }

  #receive(message: TabMessage): void {
    // A logout from another tab counts even while this one waits for the logout lock:
    // that is how simultaneous expiries end up calling the server only once.
    if (message.type === 'logout') {
      if (this.#state !== 'ended' || this.#termination.started) this.#termination.heard(message)
      return
    }
    if (this.#closing) return
    switch (message.type) {
      case 'login':
        if (this.#state === 'anonymous') void this.#syncLogin()
        break
      case 'status':
        this.#monitor?.heard(message.at)
        break
      case 'settings':
        if (this.#options.idle) this.#applyIdle({ ...this.#options.idle, ...message.idle })
        break
      default:
        this.#hosting?.receive(message, this.#tabId)
    }
  }

  async #syncLogin(): Promise<void> {
    try {
      await this.#readyOrThrow()
      await this.#restoreAgain()
    } catch {
      /* stays anonymous */
    }
  }

  /** A session found at start-up or after another tab signed in: adopt the shared idle state. */
  #restored(info: VaultInfo, persisted: IdleSnapshot | undefined): void {
    const now = Date.now()
    this.#authenticated(info, restoredSnapshot(now, this.#options.idle, persisted))
    if (info.server) this.#idle?.receive({ v: 1, type: 'keepalive', at: now, ...info.server })
    this.#tabs.post({ type: 'hello', id: this.#tabId })
  }

  #authenticated(info: VaultInfo, idle: IdleSnapshot): void {
    this.#info = info
    this.#state = 'authenticated'
    this.#restoreRetry.stop()
    const { idle: options, dialog, channel } = this.#options
    if (options) {
      this.#hosting = new IdleHosting(
        {
          idle: options,
          dialog,
          channel,
          vault: this.#vault,
          tabs: this.#tabs,
          events: this.#events,
          session: this,
          closing: () => this.#closing,
          expire: reason => void this.#endEverywhere(reason),
          warning: open => {
            if (this.#state === 'authenticated' || this.#state === 'warning')
              this.#state = open ? 'warning' : 'authenticated'
          },
          changed: () => this.#idleChanged(),
        },
        idle,
      )
      this.#detach.push(() => this.#hosting?.detach())
    }
    if (this.#options.monitor) this.#monitor = this.#startMonitor(this.#options.monitor)
    this.#events.emit('authenticated', this.info)
    this.#idle?.check()
  }

  #idleControls(): IdleControls {
    const view = () => (this.#state === 'authenticated' || this.#state === 'warning' ? this.#idle?.view : undefined)
    return {
      get phase() {
        return view()?.phase ?? 'inactive'
      },
      get remainingMs() {
        return view()?.remainingMs
      },
      pause: () => this.#idle?.pause(),
      resume: () => this.#idle?.resume(),
      update: settings => {
        if (!this.#options.idle || this.#closing)
          throw new SessionVaultError('ERR_INVALID_STATE', 'session.idle.update needs a live session with idle options')
        const next = updatedIdle(this.#options.idle, settings)
        this.#applyIdle(next)
        const { timeout, warnBefore, keepaliveInterval, absoluteTimeout } = next
        this.#tabs.post({
          type: 'settings',
          idle: { timeout, warnBefore, keepaliveInterval, ...(absoluteTimeout !== undefined && { absoluteTimeout }) },
        })
      },
      subscribe: listener => {
        this.#idleListeners.add(listener)
        return () => void this.#idleListeners.delete(listener)
      },
    }
  }

  #applyIdle(next: NormalizedIdle): void {
    this.#options.idle = next
    this.#idle?.update(next)
    this.#idleChanged()
  }

  #idleChanged(): void {
    for (const listener of [...this.#idleListeners]) {
      try {
        listener()
      } catch (error) {
        setTimeout(() => {
          throw error
        })
      }
    }
  }

  #startMonitor(options: NormalizedMonitor): StatusMonitor {
    const { channel } = this.#options
    return new StatusMonitor(options, {
      check: () => this.#vault.request('status'),
      post: message => this.#tabs.post(message),
      tryLock: (name, task) => withLockOrWithout(`${channel}:${name}`, task),
      failed: error => {
        if (isSessionVaultError(error, 'ERR_NETWORK')) this.#events.emit('error', error)
      },
    })
  }

  get #idle() {
    return this.#hosting?.controller
  }

  /** Ends the session here and in every other tab (see {@link Termination} for who calls the server). */
  #endEverywhere(reason: EndReason): Promise<void> {
    this.#closing = true
    return this.#termination.run(reason, true)
  }

  /** A page-side debug entry (only called with `debug` on). */
  #trace(event: string, data?: Record<string, unknown>): void {
    if (this.#options.debug) this.#options.debug(debugEntry('page', event, data))
  }

  /** Why calls fail once the session is over: a crashed vault says so (`ERR_VAULT_CRASHED`). */
  #endedError(): SessionVaultError {
    return this.#crashed ?? sessionEnded()
  }

  /** Back/forward cache restore after logout: never show the signed-in page again. */
  #leaveAfterLogout(): void {
    if (this.#options.logout.redirectTo) location.replace(this.#options.logout.redirectTo)
    else location.reload()
  }

  #teardown(): void {
    for (const detach of this.#detach.splice(0)) detach()
  }
}

/** Events in the debug log: their names, and only the payload fields that are names, numbers or booleans. */
function traceEvent(trace: Trace, name: string, payload: unknown): void {
  if (name === 'tick' || name === 'activity') return
  const fields = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>
  const { code } = fields as { code?: unknown }
  trace(`event.${name}`, code === undefined ? fields : { code })
}

/**
 * Validates the options, starts the vault worker and returns the session.
 * @throws SessionVaultError `ERR_BAD_OPTIONS` naming the bad field; `ERR_TRUSTED_TYPES`
 * @example
 * const session = createSession({
 *   auth: { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh', logoutUrl: '/auth/logout' },
 *   idle: { timeout: '15m', warnBefore: '1m' },
 * })
 * await session.ready
 */
export function createSession(options: SessionOptions): Session {
  return new Session(options)
}
