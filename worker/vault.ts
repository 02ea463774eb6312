import { canTransferStreams } from '../src/shared/body-stream.js'
import { isSessionVaultError, SessionVaultError, sessionEnded } from '../src/shared/errors.js'
import { isTrustedUrl } from '../src/shared/origin.js'
import type {
  EndReason,
  IdleSnapshot,
  LogoutResult,
  SerializedRequest,
  SerializedResponse,
  ServerDeadlines,
  VaultApi,
  VaultConfig,
  VaultEvent,
  VaultInfo,
} from '../src/shared/protocol.js'
import { toWireError } from '../src/shared/protocol.js'
import { deadline, MAX_BODY_BYTES } from '../src/shared/read-body.js'
import { serializeResponse, unsupportedStreamBody } from '../src/shared/serialize.js'
import type { Authenticator, AuthHooks, Grant } from './authenticator.js'
import { CookieAuthenticator } from './cookie-auth.js'
import { setDebugSink, trace } from './debug-log.js'
import { OAuthAuthenticator } from './oauth/oauth-auth.js'
import { stepUpRequired } from './step-up.js'
import { TokenAuthenticator } from './token-auth.js'
import { VaultStore } from './vault-store.js'

/** Decided once: hand streamed bodies over as streams, or chunk by chunk over a port. */
const TRANSFER_STREAMS = canTransferStreams()

/** Whether this engine's fetch can send a ReadableStream body (`duplex: 'half'`), by the standard detection. */
function sendsRequestStreams(): boolean {
  let duplexRead = false
  try {
    const typed = new Request('https://invalid.test/', {
      body: new ReadableStream(),
      method: 'POST',
      get duplex() {
        duplexRead = true
        return 'half'
      },
    } as RequestInit).headers.has('Content-Type')
    return duplexRead && !typed
  } catch {
    return false
  }
}

const isStream = (body: unknown): body is ReadableStream<Uint8Array> => body instanceof ReadableStream

const reserved = () =>
  new SessionVaultError('ERR_RESERVED_URL', "session.fetch cannot call the vault's own auth endpoints")

/** The vault: owns the authenticator (and so every secret) and performs authenticated fetches. */
export class Vault implements VaultApi {
  #config: VaultConfig | undefined
  #auth: Authenticator | undefined
  #ended = false
  #store: VaultStore | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #inflight = new Map<number, AbortController>()
  readonly #emit: (event: VaultEvent) => void

  /** @param emit pushes an event to the page */
  constructor(emit: (event: VaultEvent) => void) {
    this.#emit = emit
  }

  async init(config: VaultConfig): Promise<{ info: VaultInfo; idle?: IdleSnapshot }> {
    if (this.#config) throw new SessionVaultError('ERR_INVALID_STATE', 'The vault is already initialised')
    this.#config = config
    if (config.debug) setDebugSink(entry => this.#emit({ type: 'debug', entry }))
    this.#auth = this.#makeAuthenticator(config)
    this.#store = new VaultStore(config.channel)
    const info = await this.restore()
    return info.authenticated
      ? { info, idle: await this.#store.loadIdle(info.sessionId, config.absoluteTimeout) }
      : { info }
  }

  async loginWithRedirect(params: Record<string, string>): Promise<string> {
    const auth = this.#live()
    if (!auth.authorizationUrl)
      throw new SessionVaultError('ERR_INVALID_STATE', "loginWithRedirect needs auth.type 'oauth'")
    return auth.authorizationUrl(params)
  }

  async handleRedirectCallback(url: string): Promise<{ info: VaultInfo; returnTo?: string }> {
    const auth = this.#live()
    if (!auth.callback)
      throw new SessionVaultError('ERR_INVALID_STATE', "handleRedirectCallback needs auth.type 'oauth'")
    const { returnTo } = await auth.callback(url)
    await this.#store?.clearLogoutPending()
    return returnTo === undefined ? { info: auth.info() } : { info: auth.info(), returnTo }
  }

  /**
   * Looks for a session (at start-up, or when another tab signed in). After a
   * logout the server never confirmed, it first finishes that logout, and stays
   * signed out until the server confirms it.
   */
  async restore(): Promise<VaultInfo> {
    const auth = this.#live()
    if (auth.info().authenticated) return auth.info()
    if (await this.#store!.logoutPending()) {
      if (!(await auth.logout(this.#config!.logoutTimeout))) return { authenticated: false, unreachable: true }
      await this.#store!.clearLogoutPending()
    }
    const known = await auth.restore()
    const info = auth.info()
    trace('restore', { authenticated: info.authenticated, known })
    return known || info.authenticated ? info : { ...info, unreachable: true }
  }

  schedule(at: number | null): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (at === null || this.#ended) return
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        this.#emit({ type: 'wake' })
      },
      Math.max(0, at - Date.now()),
    )
  }

  keepalive(): Promise<ServerDeadlines | null> {
    return this.#live().keepalive()
  }

  async status(): Promise<ServerDeadlines | null> {
    return (await this.#live().status?.()) ?? null
  }

  async reauthenticate(credentials: unknown): Promise<VaultInfo> {
    const auth = this.#live()
    if (!auth.reauthenticate) {
      throw new SessionVaultError(
        'ERR_INVALID_STATE',
        "reauthenticate needs auth.type 'token' or 'cookie' with auth.reauthUrl",
      )
    }
    await auth.reauthenticate(credentials)
    return auth.info()
  }

  async saveIdle(snapshot: IdleSnapshot): Promise<void> {
    if (!this.#ended) await this.#store?.saveIdle(snapshot, this.#auth?.info().sessionId)
  }

  async login(credentials: unknown): Promise<VaultInfo> {
    const auth = this.#live()
    await auth.login(credentials)
    await this.#store?.clearLogoutPending()
    return auth.info()
  }

  async fetch(id: number, request: SerializedRequest): Promise<SerializedResponse> {
    const auth = this.#live()
    const { trustedOrigins } = this.#config!
    if (!isTrustedUrl(request.url, trustedOrigins)) {
      throw new SessionVaultError(
        'ERR_UNTRUSTED_ORIGIN',
        'session.fetch refused a URL whose origin is not in trustedOrigins',
      )
    }
    if (auth.isReserved(request.url)) throw reserved()
    if (isStream(request.body) && !sendsRequestStreams()) throw unsupportedStreamBody('cannot send a stream')
    // Only the vault's own auth calls carry it: a page must not forge one (a 307 would take it into an auth endpoint).
    request.headers = request.headers.filter(([name]) => name.toLowerCase() !== 'session-vault')
    const controller = new AbortController()
    const stop = deadline(controller, this.#config!.requestTimeout)
    this.#inflight.set(id, controller)
    // The request lives on while its body streams: a logout, an abort or the timeout still stop it.
    const end = () => {
      stop()
      this.#inflight.delete(id)
    }
    // Aborted (requestTimeout, logout, the page): the reason, whichever step the platform was at.
    const reason = (error: unknown) => (controller.signal.aborted ? controller.signal.reason : error)
    try {
      const grant = await auth.grant()
      let response = await this.#send(request, grant, controller.signal)
      // A step-up challenge is not a dead session: no refresh, no logout, the page decides.
      if (grant) refuseStepUp(response)
      if (response.status === 401 && grant && !this.#ended) {
        const next = await auth.recover(grant, response)
        // A stream body was used up by the first try: the refresh stands, the 401 goes to the page.
        if (next && !isStream(request.body)) response = refuseStepUp(await this.#send(request, next, controller.signal))
      }
      // A redirect into an auth endpoint (an open 307 to the refresh URL, say) must not hand its answer to the page.
      if (response.redirected && auth.isReserved(response.url)) throw reserved()
      const maxBytes = this.#config!.maxBodyBytes ?? MAX_BODY_BYTES
      return await serializeResponse(response, { maxBytes, end, reason }, TRANSFER_STREAMS)
    } catch (error) {
      end()
      throw reason(error)
    }
  }

  abort(id: number): void {
    this.#inflight.get(id)?.abort(new DOMException('The request was aborted', 'AbortError'))
  }

  ping(): string {
    return 'pong'
  }

  async logout(callServer: boolean): Promise<LogoutResult> {
    const auth = this.#auth
    this.#ended = true
    for (const controller of this.#inflight.values()) controller.abort(sessionEnded())
    this.schedule(null)
    // IndexedDB work that overlaps Clear-Site-Data can stay pending for ever in
    // Chromium, so the initiating tab deletes its key before the server call,
    // and every IndexedDB step is bounded: the logout never waits on storage.
    if (callServer) await bounded(this.#store?.wipeIdle())
    const endSessionUrl = callServer ? await auth?.endSessionUrl?.() : undefined
    const serverConfirmed = callServer && auth ? await auth.logout(this.#config!.logoutTimeout) : false
    await bounded(auth?.wipe())
    if (callServer && !serverConfirmed) await bounded(this.#store?.markLogoutPending())
    trace('logout', { callServer, serverConfirmed })
    setDebugSink(undefined)
    return endSessionUrl ? { serverConfirmed, endSessionUrl } : { serverConfirmed }
  }

  readonly #hooks: AuthHooks = {
    end: (reason: EndReason) => {
      if (this.#ended) return
      this.#ended = true
      trace('ended', { reason })
      this.schedule(null)
      for (const controller of this.#inflight.values()) controller.abort(sessionEnded())
      this.#emit({ type: 'ended', reason })
    },
    changed: () => {
      if (!this.#ended && this.#auth) this.#emit({ type: 'info', info: this.#auth.info() })
    },
    error: (error: unknown) => this.#emit({ type: 'error', error: toWireError(error) }),
  }

  #live(): Authenticator {
    if (!this.#auth) throw new SessionVaultError('ERR_INVALID_STATE', 'The vault is not initialised')
    if (this.#ended) throw sessionEnded()
    return this.#auth
  }

  #makeAuthenticator(config: VaultConfig): Authenticator {
    const lock = `${config.channel}:refresh`
    switch (config.auth.type) {
      case 'token':
        return new TokenAuthenticator(config.auth, lock, this.#hooks)
      case 'cookie':
        return new CookieAuthenticator(config.auth, this.#hooks)
      case 'oauth':
        return new OAuthAuthenticator(config.auth, lock, this.#hooks)
      default:
        throw new SessionVaultError('ERR_BAD_OPTIONS', 'auth.type is not supported by this vault')
    }
  }

  async #send(request: SerializedRequest, grant: Grant | null, signal: AbortSignal): Promise<Response> {
    const headers = new Headers(request.headers)
    try {
      await grant?.apply(headers, request)
    } catch (error) {
      // The platform's message may quote the header value, that is the credential: never pass it on.
      throw isSessionVaultError(error)
        ? error
        : new SessionVaultError('ERR_INVALID_STATE', 'The credentials could not be attached to the request')
    }
    const init: RequestInit & { duplex?: 'half' } = { ...request, headers, signal }
    if (isStream(request.body)) init.duplex = 'half'
    return fetch(request.url, init)
  }
}

/** Throws `ERR_STEP_UP_REQUIRED` for a step-up challenge (its body is dropped unread); else the response. */
function refuseStepUp(response: Response): Response {
  const challenge = stepUpRequired(response)
  if (!challenge) return response
  trace('step-up', { status: response.status, maxAge: challenge.maxAge ?? -1 })
  void response.body?.cancel().catch(() => {})
  throw challenge
}

/** Waits for `task` at most `ms`; storage must never hold up a logout. */
function bounded(task: Promise<unknown> | undefined, ms = 500): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([task, new Promise(resolve => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  )
}
