import { listenForActivity, listenForWake } from './activity.js'
import { withLock } from './shared/locks.js'
import { clearLocal } from './clear.js'
import { Emitter } from './emitter.js'
import { SessionVaultError, sessionEnded } from './shared/errors.js'
import { assertSupported } from './support.js'
import { IdleController } from './idle.js'
import { normalizeOptions, type NormalizedDialog, type NormalizedOptions } from './options.js'
import { fromWireError, type EndReason, type IdleSnapshot, type VaultEvent, type VaultInfo } from './shared/protocol.js'
import { deserializeResponse, serializeRequest, signalOf } from './shared/serialize.js'
import { randomId, type TabMessage } from './tab-channel.js'
import { TabChannel } from './tab-channel.js'
import type { LogoutReason, SessionEventName, SessionEvents, SessionInfo, SessionOptions, SessionState } from './types.js'
import { VaultClient } from './vault-client.js'

/** Milliseconds the vault waits for the server's logout answer before wiping anyway. */
export const LOGOUT_TIMEOUT_MS = 5_000

/** Marks the logout broadcast of the tab that holds the logout lock, and so calls the server. */
const CALLER = 'server-'

const defaultWorkerUrl: string | undefined = (() => {
  try {
    return new URL('./vault.worker.js', import.meta.url).href
  } catch {
    return undefined
  }
})()


/** The session this page made last. */
let latest: Session | undefined


/**
 * One browser session: a vault worker holding the secrets, the idle clock, the
 * cross-tab channel and (optionally) the warning dialog. A session ends once;
 * create a new one to sign in again after it ended.
 */
export class Session {
  /** Resolves once the vault is up and any existing session was restored; rejects `ERR_VAULT_CRASHED`. */
  readonly ready: Promise<void>
  readonly #options: NormalizedOptions
  readonly #events = new Emitter<SessionEvents>()
  readonly #vault: VaultClient
  readonly #tabs: TabChannel
  readonly #detach: (() => void)[] = []
  readonly #tabId = randomId()
  #state: SessionState = 'anonymous'
  #info: VaultInfo = { authenticated: false }
  #idle: IdleController | undefined
  #closing = false
  #crashed: SessionVaultError | undefined
  /** A tab's logout broadcast said it calls the server (true), or this tab waits for one (its resolver). */
  #claimed: (() => void) | true | undefined
  #finished: Promise<void> | undefined
  #fetchId = 0
  #unsaved: IdleSnapshot | undefined
  #wakeAt: number | undefined

  constructor(options: SessionOptions) {
    this.#options = normalizeOptions(options, { base: location.href, origin: location.origin, defaultWorkerUrl })
    assertSupported(this.#options.auth)
    this.#vault = new VaultClient(this.#options.workerUrl, (event) => this.#vaultEvent(event), (error) => {
      this.#crashed = error
      void this.#finish('error', false)
    })
    this.#tabs = new TabChannel(this.#options.channel, (message) => this.#receive(message))
    this.#detach.push(listenForWake(() => this.#idle?.check()))
    // Kept after the session ends: a page restored from the back/forward cache after logout must
    // leave, unless the page has started a newer session since (an SPA that signs in again).
    latest = this
    addEventListener('pageshow', (event) => {
      if (event.persisted && this.#finished && latest === this) this.#leaveAfterLogout()
    })
    this.ready = this.#start()
    this.ready.catch(() => {})
  }

  /** `anonymous`, `authenticated`, `warning` (idle warning open) or `ended`. */
  get state(): SessionState {
    return this.#state
  }

  /** What the page may know: never a token. */
  get info(): SessionInfo {
    if (this.#state !== 'authenticated' && this.#state !== 'warning') return { authenticated: false }
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
    this.#signedIn(await this.#vault.request('login', credentials))
  }

  /**
   * OAuth sign-in (`auth.type: 'oauth'`): the vault makes `state`, `nonce` and
   * a PKCE S256 verifier, then the page navigates to the authorization server.
   * `params` are extra authorization request parameters (e.g. `{ prompt: 'login' }`).
   * @throws SessionVaultError `ERR_INVALID_STATE` for other auth types or when signed in
   */
  async loginWithRedirect(params: Record<string, string> = {}): Promise<void> {
    await this.#anonymousOrThrow()
    const url = await this.#vault.request('loginWithRedirect', { ...params })
    location.assign(url)
  }

  /**
   * Completes an OAuth sign-in on the `redirectUri` page: checks `state` (and
   * `iss`), exchanges the code inside the vault, validates the ID token, and
   * removes `code`, `state` and `iss` from the address bar.
   * @throws SessionVaultError `ERR_OAUTH_CALLBACK` (wrong state, missing code, provider error), `ERR_TOKEN_RESPONSE`
   */
  async handleRedirectCallback(url: string = location.href): Promise<void> {
    await this.#readyOrThrow()
    try {
      this.#signedIn(await this.#vault.request('handleRedirectCallback', url))
    } finally {
      if (url === location.href) {
        const clean = new URL(location.href)
        for (const name of ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri']) clean.searchParams.delete(name)
        history.replaceState(history.state, '', clean.href)
      }
    }
  }

  /**
   * `fetch` through the vault: credentials are attached inside the worker, and
   * only for `trustedOrigins`. Resolves a real `Response`.
   * @throws SessionVaultError `ERR_UNTRUSTED_ORIGIN` (no request made), `ERR_SESSION_ENDED`, `ERR_VAULT_CRASHED`
   * @example const notes = await (await session.fetch('/api/notes')).json()
   */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (this.#closing) throw this.#endedError()
    const signal = signalOf(input, init)
    signal?.throwIfAborted()
    const request = await serializeRequest(input, init)
    await this.#readyOrThrow()
    if (this.#closing) throw this.#endedError()
    const id = ++this.#fetchId
    const onAbort = () => this.#vault.send('abort', id)
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const answer = await this.#vault.request('fetch', id, request)
      return deserializeResponse(answer)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw error
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
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
    this.#idle?.stop()
    this.#state = 'ended'
    this.#vault.terminate()
    this.#tabs.close()
    this.#teardown()
  }

  async #start(): Promise<void> {
    await this.#vault.started()
    const { auth, trustedOrigins, channel, maxBodyBytes, requestTimeout, idle: options } = this.#options
    const { info, idle } = await this.#vault.request('init', {
      auth,
      trustedOrigins,
      channel,
      logoutTimeout: LOGOUT_TIMEOUT_MS,
      maxBodyBytes,
      requestTimeout,
      absoluteTimeout: options ? options.absoluteTimeout : undefined,
    })
    if (info.authenticated && !this.#closing) this.#restored(info, idle)
  }

  async #readyOrThrow(): Promise<void> {
    if (this.#closing) throw this.#endedError()
    await this.ready
    if (this.#closing) throw this.#endedError()
  }

  async #anonymousOrThrow(): Promise<void> {
    await this.#readyOrThrow()
    if (this.#state !== 'anonymous') throw new SessionVaultError('ERR_INVALID_STATE', 'Already signed in: log out first')
  }

  /** A sign-in in this tab: a fresh idle clock, and the other tabs are told. */
  #signedIn(info: VaultInfo): void {
    if (this.#closing) throw this.#endedError()
    const now = Date.now()
    this.#authenticated(info, this.#freshIdle(now))
    this.#tabs.post({ type: 'login', at: now })
  }

  #freshIdle(now: number): IdleSnapshot {
    const absolute = this.#options.idle ? this.#options.idle.absoluteTimeout : undefined
    return { lastActivityAt: now, signedInAt: now, absoluteDeadline: absolute === undefined ? undefined : now + absolute }
  }

  #vaultEvent(event: VaultEvent): void {
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
      if (message.id.startsWith(CALLER)) {
        const waiting = this.#claimed
        this.#claimed = true
        if (waiting !== true) waiting?.()
      }
      if (this.#state !== 'ended') void this.#finish(message.reason === 'user' ? 'remote' : message.reason, false)
      return
    }
    if (this.#closing) return
    switch (message.type) {
      case 'login':
        if (this.#state === 'anonymous') void this.#syncLogin()
        break
      case 'hello':
        if (this.#idle) this.#tabs.post({ type: 'state', to: message.id, idle: this.#idle.snapshot })
        break
      case 'state':
        if (message.to === this.#tabId) this.#idle?.merge(message.idle)
        break
      default:
        this.#idle?.receive(message)
    }
  }

  async #syncLogin(): Promise<void> {
    try {
      await this.#readyOrThrow()
      const info = await this.#vault.request('restore')
      if (info.authenticated && this.#state === 'anonymous' && !this.#closing) this.#restored(info, undefined)
    } catch {
      /* stays anonymous */
    }
  }

  /** A session found at start-up or after another tab signed in: adopt the shared idle state. */
  #restored(info: VaultInfo, persisted: IdleSnapshot | undefined): void {
    const now = Date.now()
    const fresh = this.#freshIdle(now)
    // A snapshot saved before absoluteTimeout was configured must not lift the limit.
    this.#authenticated(info, persisted ? { ...persisted, absoluteDeadline: persisted.absoluteDeadline ?? fresh.absoluteDeadline } : fresh)
    if (info.server) this.#idle?.receive({ v: 1, type: 'keepalive', at: now, ...info.server })
    this.#tabs.post({ type: 'hello', id: this.#tabId })
  }

  #authenticated(info: VaultInfo, idle: IdleSnapshot): void {
    this.#info = info
    this.#state = 'authenticated'
    const options = this.#options.idle
    if (options && this.#options.dialog) void this.#loadDialog(this.#options.dialog)
    if (options) {
      this.#idle = new IdleController(options, this.#idleHost(), idle)
      this.#detach.push(listenForActivity(options.events, () => this.#idle?.activity()))
      this.#persist(this.#idle.snapshot)
    }
    this.#events.emit('authenticated', this.info)
    this.#idle?.check()
  }

  #idleHost() {
    return {
      now: Date.now,
      schedule: (at: number | null) => {
        // A later deadline needs no new timer: the vault's earlier wake-up re-checks and re-arms.
        const armed = this.#wakeAt
        if (at !== null && armed !== undefined && armed > Date.now() && at >= armed) return
        this.#wakeAt = at ?? undefined
        this.#vault.send('schedule', at)
      },
      keepalive: () => this.#vault.request('keepalive'),
      persist: (snapshot: IdleSnapshot) => this.#persist(snapshot),
      post: this.#tabs.post.bind(this.#tabs),
      // A bounded wait: once it runs out, the keepalive goes ahead without the lock.
      tryLock: (name: string, task: () => Promise<void>) => withLock(`${this.#options.channel}:${name}`, task).catch(() => task()),
      expire: (reason: 'idle' | 'absolute') => void this.#endEverywhere(reason),
      warning: (open: boolean) => {
        if (this.#state === 'authenticated' || this.#state === 'warning') this.#state = open ? 'warning' : 'authenticated'
      },
      emit: this.#events.emit.bind(this.#events),
    }
  }

  /**
   * The default dialog is its own module, loaded once a signed-in session has
   * an idle timeout (long before any warning): pages without a signed-in user,
   * and `dialog: false`, never download it. A warning already open is shown.
   */
  async #loadDialog(options: NormalizedDialog): Promise<void> {
    try {
      const { WarningDialog } = await import('./dialog.js')
      if (this.#closing) return
      const dialog = new WarningDialog(this, options)
      this.#detach.push(() => dialog.destroy())
      const warning = this.#idle?.warning
      if (warning) dialog.open(warning.reason, warning.deadline - Date.now())
    } catch (error) {
      this.#events.emit('error', new SessionVaultError('ERR_LOAD_FAILED', 'The warning dialog could not be loaded', { cause: error }))
    }
  }

  /** Persists the latest idle snapshot through the vault; bursts of changes are written once. */
  #persist(snapshot: IdleSnapshot): void {
    const scheduled = this.#unsaved !== undefined
    this.#unsaved = snapshot
    if (scheduled) return
    setTimeout(() => {
      const newest = this.#unsaved
      this.#unsaved = undefined
      if (newest && !this.#closing) this.#vault.send('saveIdle', newest)
    })
  }

  /** Ends the session here and in every other tab (see {@link Session.#finish} for who calls the server). */
  #endEverywhere(reason: EndReason): Promise<void> {
    this.#closing = true
    return this.#finish(reason, true)
  }

  /**
   * The termination sequence, run once: stop, tell the other tabs (when this
   * tab started it), let the vault call the server and wipe, stop the vault,
   * clear local storage, emit, redirect. No lock decides whether this
   * happens, only which tab calls the server: the one that gets the logout
   * lock at once (its broadcast says so). A tab that does not get it waits
   * half a second for such a broadcast and calls the server itself when none
   * comes, so script holding the lock cannot stop the server call; when
   * several tabs reach a deadline together, exactly one calls the server.
   */
  #finish(reason: EndReason, initiator: boolean): Promise<void> {
    this.#finished ??= (async () => {
      this.#closing = true
      this.#state = 'ended'
      this.#idle?.stop()
      let serverConfirmed = false
      let endSessionUrl: string | undefined
      const end = async (callServer: boolean) => {
        if (this.#vault.dead) return
        let timer: ReturnType<typeof setTimeout> | undefined
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(reject, callServer ? LOGOUT_TIMEOUT_MS + 1_000 : 1_000)))
        try {
          const result = await Promise.race([this.#vault.request('logout', callServer), timeout])
          serverConfirmed = result.serverConfirmed
          endSessionUrl = result.endSessionUrl
        } catch {
          /* wipe locally all the same */
        } finally {
          clearTimeout(timer)
        }
      }
      const announce = async (held: boolean) => {
        this.#tabs.post({ type: 'logout', id: (held ? CALLER : '') + randomId(), reason, at: Date.now() })
        if (!held && this.#claimed !== true) await new Promise<void>((resolve) => ((this.#claimed = resolve), setTimeout(resolve, 500)))
        await end(held || this.#claimed !== true)
      }
      await (initiator ? withLock(`${this.#options.channel}:logout`, announce, { ifAvailable: true }).catch(() => announce(false)) : end(false))
      this.#vault.terminate()
      this.#tabs.close()
      this.#teardown()
      await clearLocal(this.#options.logout.clear)
      this.#info = { authenticated: false }
      this.#events.emit('logout', { reason, serverConfirmed })
      if (endSessionUrl) location.assign(endSessionUrl)
      else if (this.#options.logout.redirectTo) location.replace(this.#options.logout.redirectTo)
    })()
    return this.#finished
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
