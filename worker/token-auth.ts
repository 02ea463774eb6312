import { SessionVaultError } from '../src/shared/errors.js'
import { withLock } from '../src/shared/locks.js'
import type { AuthConfig, ServerDeadlines, VaultInfo } from '../src/shared/protocol.js'
import type { Authenticator, AuthHooks, Grant } from './authenticator.js'
import { isEndpoint } from './endpoint.js'
import { form, postLogout, send, VAULT_HEADER } from './http.js'
import { parseTokenResponse, serverErrorCode, type TokenSet } from './token-response.js'

type TokenAuthConfig = Extract<AuthConfig, { type: 'token' }>

/** Refresh this long before expiry (or at half the lifetime of shorter-lived tokens). */
export const REFRESH_MARGIN_MS = 30_000

interface Held {
  accessToken: string
  refreshToken?: string
  expiresAt?: number
  refreshAt?: number
  /** The server's id of the session (`session_id`), when it said: every refresh must answer for the same one. */
  sessionId?: string
  /** The session's deadlines, when the token answer carried them (so a restore learns the absolute one). */
  server?: ServerDeadlines
  generation: number
}

/** First-party token endpoints (DESIGN "Wire contract, token mode"). */
export class TokenAuthenticator implements Authenticator {
  #held: Held | undefined
  #generation = 0
  #refreshing: Promise<boolean> | undefined

  constructor(
    private readonly config: TokenAuthConfig,
    private readonly lockName: string,
    private readonly hooks: AuthHooks,
    private readonly now: () => number = Date.now,
  ) {}

  info(): VaultInfo {
    const held = this.#held
    if (!held) return { authenticated: false }
    const info: VaultInfo = { authenticated: true, expiresAt: held.expiresAt }
    if (held.server) info.server = { ...held.server }
    if (held.sessionId !== undefined) info.sessionId = held.sessionId
    return info
  }

  /** Start-up restore: an unreachable server leaves the session anonymous (reported, not thrown). */
  async restore(): Promise<void> {
    if (!this.config.refreshUrl) return
    try {
      await this.#refresh(undefined, 'restore')
    } catch (error) {
      this.hooks.error(error)
    }
  }

  async login(credentials: unknown): Promise<void> {
    let body: string
    try {
      body = JSON.stringify(credentials ?? {})
    } catch (error) {
      throw new SessionVaultError('ERR_BAD_OPTIONS', 'session.login: the credentials must be JSON-serialisable', {
        cause: error,
      })
    }
    const response = await send(
      this.config.loginUrl,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...VAULT_HEADER },
        body,
        credentials: 'include',
        cache: 'no-store',
      },
      'Login',
    )
    const text = await response.text()
    if (response.status >= 400 && response.status < 500) {
      const code = serverErrorCode(text)
      throw new SessionVaultError('ERR_LOGIN_FAILED', `Login refused (${response.status}${code ? ` ${code}` : ''})`)
    }
    if (response.status !== 200) throw new SessionVaultError('ERR_NETWORK', `Login failed (${response.status})`)
    this.#hold(parseTokenResponse(text), text)
  }

  async grant(): Promise<Grant | null> {
    const held = this.#held
    if (!held) return null
    if (held.refreshAt !== undefined && this.now() >= held.refreshAt && this.config.refreshUrl) {
      if (!(await this.#refresh(held.generation, 'expiry'))) return null
    }
    return this.#grantOf(this.#held)
  }

  async recover(used: Grant): Promise<Grant | null> {
    if (!this.config.refreshUrl) {
      this.hooks.end('server')
      return null
    }
    if (!(await this.#refresh(used.generation, 'rejected'))) return null
    return this.#grantOf(this.#held)
  }

  async keepalive(retried = false): Promise<ServerDeadlines | null> {
    const held = this.#held
    if (!this.config.keepaliveUrl || !held) return null
    const response = await send(
      this.config.keepaliveUrl,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${held.accessToken}`, ...VAULT_HEADER },
        credentials: 'include',
        cache: 'no-store',
      },
      'Keepalive',
    )
    if (response.status === 401) {
      if (retried) {
        this.hooks.end('server')
        return null
      }
      const recovered = await this.recover(this.#grantOf(held)!)
      return recovered ? this.keepalive(true) : null
    }
    if (!response.ok) throw new SessionVaultError('ERR_NETWORK', `Keepalive failed (${response.status})`)
    return parseDeadlines(await response.text())
  }

  logout(timeoutMs: number): Promise<boolean> {
    if (!this.config.logoutUrl) return Promise.resolve(false)
    const held = this.#held
    return postLogout(
      this.config.logoutUrl,
      {
        headers: held ? { Authorization: `Bearer ${held.accessToken}` } : {},
        body: form({ token_type_hint: 'refresh_token', token: held?.refreshToken }),
      },
      timeoutMs,
    )
  }

  isReserved(url: string): boolean {
    const { loginUrl, refreshUrl, logoutUrl, keepaliveUrl } = this.config
    return isEndpoint(url, [loginUrl, refreshUrl, logoutUrl, keepaliveUrl])
  }

  async wipe(): Promise<void> {
    this.#held = undefined
  }

  #grantOf(held: Held | undefined): Grant | null {
    if (!held) return null
    const { accessToken, generation } = held
    return { generation, apply: headers => headers.set('Authorization', `Bearer ${accessToken}`) }
  }

  #hold(tokens: TokenSet, text: string, previous?: Held): void {
    const receivedAt = this.now()
    const server = parseDeadlines(text, receivedAt)
    const lifetime = tokens.expiresIn === undefined ? undefined : tokens.expiresIn * 1000
    this.#held = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? previous?.refreshToken,
      expiresAt: lifetime === undefined ? undefined : receivedAt + lifetime,
      refreshAt: lifetime === undefined ? undefined : receivedAt + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2),
      sessionId: tokens.sessionId,
      ...(Object.keys(server).length > 0 ? { server } : {}),
      generation: ++this.#generation,
    }
  }

  /**
   * Single-flight refresh: one promise per tab, one Web Lock across tabs. When
   * `stale` is given and the tokens have already moved past that generation,
   * nothing is sent. Resolves whether the session is (still) authenticated.
   */
  #refresh(stale: number | undefined, why: 'restore' | 'expiry' | 'rejected'): Promise<boolean> {
    if (stale !== undefined && this.#held && this.#held.generation !== stale) return Promise.resolve(true)
    this.#refreshing ??= withLock(this.lockName, () => this.#refreshNow(why)).finally(() => {
      this.#refreshing = undefined
    })
    return this.#refreshing
  }

  async #refreshNow(why: 'restore' | 'expiry' | 'rejected'): Promise<boolean> {
    const previous = this.#held
    const response = await send(
      this.config.refreshUrl!,
      {
        method: 'POST',
        headers: VAULT_HEADER,
        body: form({ grant_type: 'refresh_token', refresh_token: previous?.refreshToken }),
        credentials: 'include',
        cache: 'no-store',
      },
      'Refresh',
    )
    const text = await response.text()
    if (response.status === 400 || response.status === 401) {
      this.#held = undefined
      if (why !== 'restore') this.hooks.end(why === 'rejected' ? 'server' : 'revoked')
      return false
    }
    if (response.status !== 200) throw new SessionVaultError('ERR_NETWORK', `Refresh failed (${response.status})`)
    const tokens = parseTokenResponse(text)
    // Tokens of another session (a refresh cookie planted by a cross-site form, say) end this one:
    // the vault never switches identity. The old tokens stay for the logout call, the new ones are dropped.
    if (previous?.sessionId !== undefined && tokens.sessionId !== previous.sessionId) {
      this.hooks.end('revoked')
      return false
    }
    this.#hold(tokens, text, previous)
    this.hooks.changed()
    return true
  }
}

/**
 * Parses the session deadlines a server sends (keepalive, cookie-mode session, token answers):
 * `idleExpiresIn` / `absoluteExpiresIn` (seconds from now, preferred: no clock involved) or
 * `idleExpiresAt` / `absoluteExpiresAt` (epoch ms). Anything else counts as no deadlines.
 */
export function parseDeadlines(text: string, now: number = Date.now()): ServerDeadlines {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return {}
  }
  const out: ServerDeadlines = {}
  if (typeof body !== 'object' || body === null) return out
  const record = body as Record<string, unknown>
  const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
  for (const kind of ['idle', 'absolute'] as const) {
    const relative = record[`${kind}ExpiresIn`]
    const absolute = record[`${kind}ExpiresAt`]
    if (finite(relative) && relative >= 0) out[`${kind}ExpiresAt`] = now + relative * 1000
    else if (finite(absolute)) out[`${kind}ExpiresAt`] = absolute
  }
  return out
}
