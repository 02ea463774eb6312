import { SessionVaultError, sessionEnded } from '../src/shared/errors.js'
import type { AuthConfig, ServerDeadlines, VaultInfo } from '../src/shared/protocol.js'
import type { Authenticator, AuthHooks, Grant } from './authenticator.js'
import { ServerClock } from './deadlines.js'
import { endpointMatcher } from './endpoint.js'
import { credentialsJson, isTransient, postLogout, send, VAULT_HEADER } from './http.js'
import { serverErrorCode } from './token-response.js'

type CookieAuthConfig = Extract<AuthConfig, { type: 'cookie' }>

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Cookie sessions (server-rendered sites, backend-for-frontend): no token
 * exists in the browser. The vault only keeps the CSRF token from
 * `sessionUrl` and adds it to state-changing same-origin requests.
 */
export class CookieAuthenticator implements Authenticator {
  #authenticated = false
  #csrf: string | undefined
  #deadlines: ServerDeadlines = {}
  #sessionId: string | undefined
  readonly #config: CookieAuthConfig
  readonly #reserved: (url: string) => boolean
  readonly #hooks: AuthHooks
  /** The server's clock, from its answers' `Date`: the deadlines it sends as epoch times are on it. */
  readonly #serverClock = new ServerClock()

  constructor(config: CookieAuthConfig, hooks: AuthHooks) {
    this.#config = config
    this.#hooks = hooks
    const { sessionUrl, keepaliveUrl, logoutUrl, statusUrl, reauthUrl } = config
    this.#reserved = endpointMatcher([sessionUrl, keepaliveUrl, logoutUrl, statusUrl, reauthUrl])
  }

  info(): VaultInfo {
    if (!this.#authenticated) return { authenticated: false }
    return this.#sessionId === undefined
      ? { authenticated: true, server: { ...this.#deadlines } }
      : { authenticated: true, server: { ...this.#deadlines }, sessionId: this.#sessionId }
  }

  /** Asks the session endpoint; an unreachable server (or a 5xx) is reported, and worth another try. */
  async restore(): Promise<boolean> {
    if (!this.#config.sessionUrl) {
      this.#authenticated = true
      return true
    }
    try {
      await this.#checkSession(this.#config.sessionUrl)
      return true
    } catch (error) {
      if (!isTransient(error)) throw error
      this.#hooks.error(error)
      return false
    }
  }

  async #checkSession(sessionUrl: string): Promise<void> {
    const response = await send(
      sessionUrl,
      { headers: VAULT_HEADER, credentials: 'include', cache: 'no-store' },
      'Session check',
    )
    const receivedAt = this.#serverClock.observe(response)
    if (response.status === 401 || response.status === 403) {
      this.#authenticated = false
      return
    }
    if (!response.ok) throw new SessionVaultError('ERR_NETWORK', `Session check failed (${response.status})`)
    await this.#adopt(response, receivedAt)
  }

  /** A session answer (`sessionUrl`, or a re-authentication): whether signed in, the CSRF token, deadlines, session id. */
  async #adopt(response: Response, receivedAt: number): Promise<void> {
    let body: unknown
    try {
      body = await response.json()
    } catch {
      body = undefined
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof (body as { authenticated?: unknown }).authenticated !== 'boolean'
    ) {
      throw new SessionVaultError('ERR_TOKEN_RESPONSE', 'Malformed session response: authenticated must be a boolean')
    }
    const { authenticated, csrfToken } = body as { authenticated: boolean; csrfToken?: unknown }
    this.#authenticated = authenticated
    if (csrfToken !== undefined && (typeof csrfToken !== 'string' || !/^[\x21-\x7e]{1,512}$/.test(csrfToken))) {
      throw new SessionVaultError('ERR_TOKEN_RESPONSE', 'Malformed session response: csrfToken must be printable ASCII')
    }
    this.#csrf = authenticated ? csrfToken : undefined
    this.#deadlines = authenticated ? this.#serverClock.deadlinesOf(body, receivedAt) : {}
    const { session_id: id, absoluteExpiresAt: sentAt } = body as { session_id?: unknown; absoluteExpiresAt?: unknown }
    this.#sessionId = !authenticated
      ? undefined
      : typeof id === 'string' && /^[\x21-\x7e]{1,256}$/.test(id)
        ? id
        : typeof sentAt === 'number' && Number.isFinite(sentAt)
          ? String(sentAt)
          : undefined
  }

  async login(): Promise<void> {
    throw new SessionVaultError(
      'ERR_INVALID_STATE',
      "login() is not available with auth.type 'cookie': sign in through the server's own form",
    )
  }

  async grant(): Promise<Grant | null> {
    if (!this.#authenticated) return null
    const csrf = this.#csrf
    const header = this.#config.csrfHeader
    return {
      generation: 0,
      apply: (headers, request) => {
        if (
          csrf &&
          UNSAFE_METHODS.has(request.method.toUpperCase()) &&
          new URL(request.url).origin === self.location.origin
        ) {
          headers.set(header, csrf)
        }
      },
    }
  }

  async recover(): Promise<Grant | null> {
    this.#authenticated = false
    this.#hooks.end('server')
    return null
  }

  keepalive(): Promise<ServerDeadlines | null> {
    return this.#askDeadlines(this.#config.keepaliveUrl, 'Keepalive')
  }

  status(): Promise<ServerDeadlines | null> {
    return this.#askDeadlines(this.#config.statusUrl, 'Status check')
  }

  /** Step-up: the credentials to `reauthUrl`; its answer (a rotated cookie's CSRF token, say) is adopted as a session answer. */
  async reauthenticate(credentials: unknown): Promise<void> {
    const url = this.#config.reauthUrl
    if (!url) throw new SessionVaultError('ERR_INVALID_STATE', 'reauthenticate needs auth.reauthUrl')
    const body = credentialsJson(credentials, 'session.reauthenticate')
    if (!this.#authenticated) throw sessionEnded()
    const response = await send(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...this.#csrfHeaders(), ...VAULT_HEADER },
        body,
        credentials: 'include',
        cache: 'no-store',
      },
      'Re-authentication',
    )
    const receivedAt = this.#serverClock.observe(response)
    if (response.status === 401) {
      await this.recover()
      throw sessionEnded()
    }
    if (response.status >= 400 && response.status < 500) {
      const code = serverErrorCode(await response.text())
      throw new SessionVaultError(
        'ERR_LOGIN_FAILED',
        `Re-authentication refused (${response.status}${code ? ` ${code}` : ''})`,
      )
    }
    if (response.status !== 200)
      throw new SessionVaultError('ERR_NETWORK', `Re-authentication failed (${response.status})`)
    await this.#adopt(response, receivedAt)
    if (!this.#authenticated) {
      this.#hooks.end('server')
      throw sessionEnded()
    }
    this.#hooks.changed()
  }

  logout(timeoutMs: number): Promise<boolean> {
    return postLogout(this.#config.logoutUrl, { headers: this.#csrfHeaders() }, timeoutMs)
  }

  isReserved(url: string): boolean {
    return this.#reserved(url)
  }

  /** The keepalive and the status check: POST with the CSRF header; a 401 ends the session. */
  async #askDeadlines(url: string | undefined, what: string): Promise<ServerDeadlines | null> {
    if (!url || !this.#authenticated) return null
    const response = await send(
      url,
      {
        method: 'POST',
        headers: { ...this.#csrfHeaders(), ...VAULT_HEADER },
        credentials: 'include',
        cache: 'no-store',
      },
      what,
    )
    if (response.status === 401) {
      await this.recover()
      return null
    }
    if (!response.ok) throw new SessionVaultError('ERR_NETWORK', `${what} failed (${response.status})`)
    const receivedAt = this.#serverClock.observe(response)
    return this.#serverClock.parseDeadlines(await response.text(), receivedAt)
  }

  async wipe(): Promise<void> {
    this.#authenticated = false
    this.#csrf = undefined
  }

  #csrfHeaders(): Record<string, string> {
    return this.#csrf ? { [this.#config.csrfHeader]: this.#csrf } : {}
  }
}
