import { SessionVaultError, sessionEnded } from '../src/shared/errors.js'
import type { AuthConfig, ServerDeadlines, VaultInfo } from '../src/shared/protocol.js'
import type { Authenticator, AuthHooks, Grant } from './authenticator.js'
import { ServerClock } from './deadlines.js'
import { endpointMatcher } from './endpoint.js'
import { type Held, HeldTokens, type RefreshReason } from './held-tokens.js'
import { credentialsJson, form, isTransient, postLogout, send, VAULT_HEADER } from './http.js'
import { parseTokenResponse, serverErrorCode, type TokenSet } from './token-response.js'

type TokenAuthConfig = Extract<AuthConfig, { type: 'token' }>

interface Session {
  /** The server's id of the session (`session_id`), when it said: every refresh must answer for the same one. */
  sessionId?: string
  /** The session's deadlines, when the token answer carried them (so a restore learns the absolute one). */
  server?: ServerDeadlines
}

/** First-party token endpoints (DESIGN "Wire contract, token mode"). */
export class TokenAuthenticator implements Authenticator {
  readonly #config: TokenAuthConfig
  readonly #reserved: (url: string) => boolean
  readonly #hooks: AuthHooks
  readonly #now: () => number
  readonly #tokens: HeldTokens<Session>
  /** The server's clock, from its answers' `Date`: the deadlines it sends as epoch times are on it. */
  readonly #serverClock: ServerClock

  constructor(config: TokenAuthConfig, lockName: string, hooks: AuthHooks, now: () => number = Date.now) {
    this.#config = config
    const { loginUrl, refreshUrl, logoutUrl, keepaliveUrl, statusUrl, reauthUrl } = config
    this.#reserved = endpointMatcher([loginUrl, refreshUrl, logoutUrl, keepaliveUrl, statusUrl, reauthUrl])
    this.#hooks = hooks
    this.#now = now
    this.#tokens = new HeldTokens(lockName, now)
    this.#serverClock = new ServerClock(now)
  }

  info(): VaultInfo {
    const held = this.#tokens.current
    if (!held) return { authenticated: false }
    const info: VaultInfo = { authenticated: true, expiresAt: held.expiresAt }
    if (held.server) info.server = { ...held.server }
    if (held.sessionId !== undefined) info.sessionId = held.sessionId
    return info
  }

  /** Start-up restore: a failure is reported, not thrown; an unreachable server (or a 5xx) is worth another try. */
  async restore(): Promise<boolean> {
    if (!this.#config.refreshUrl) return true
    try {
      await this.#refresh(undefined, 'restore')
      return true
    } catch (error) {
      this.#hooks.error(error)
      return !isTransient(error)
    }
  }

  async login(credentials: unknown): Promise<void> {
    const body = credentialsJson(credentials, 'session.login')
    const response = await send(
      this.#config.loginUrl,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...VAULT_HEADER },
        body,
        credentials: 'include',
        cache: 'no-store',
      },
      'Login',
    )
    this.#serverClock.observe(response)
    const text = await response.text()
    if (response.status >= 400 && response.status < 500) {
      const code = serverErrorCode(text)
      throw new SessionVaultError('ERR_LOGIN_FAILED', `Login refused (${response.status}${code ? ` ${code}` : ''})`)
    }
    if (response.status !== 200) throw new SessionVaultError('ERR_NETWORK', `Login failed (${response.status})`)
    this.#hold(parseTokenResponse(text), text)
  }

  async grant(): Promise<Grant | null> {
    const held = this.#tokens.current
    if (!held) return null
    if (this.#tokens.due() && this.#config.refreshUrl) {
      if (!(await this.#refresh(held.generation, 'expiry'))) return null
    }
    return this.#grantOf(this.#tokens.current)
  }

  async recover(used: Grant): Promise<Grant | null> {
    if (!this.#config.refreshUrl) {
      this.#hooks.end('server')
      return null
    }
    if (!(await this.#refresh(used.generation, 'rejected'))) return null
    return this.#grantOf(this.#tokens.current)
  }

  keepalive(): Promise<ServerDeadlines | null> {
    return this.#askDeadlines(this.#config.keepaliveUrl, 'Keepalive')
  }

  status(): Promise<ServerDeadlines | null> {
    return this.#askDeadlines(this.#config.statusUrl, 'Status check')
  }

  /** Step-up: the credentials, with the bearer token, to `reauthUrl`; its token answer replaces the held tokens. */
  async reauthenticate(credentials: unknown, retried = false): Promise<void> {
    const url = this.#config.reauthUrl
    if (!url) throw new SessionVaultError('ERR_INVALID_STATE', 'reauthenticate needs auth.reauthUrl')
    const body = credentialsJson(credentials, 'session.reauthenticate')
    const outcome = await this.#tokens.exclusive(async () => {
      const held = this.#tokens.current
      if (!held) return 'ended'
      const response = await send(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${held.accessToken}`, ...VAULT_HEADER },
          body,
          credentials: 'include',
          cache: 'no-store',
        },
        'Re-authentication',
      )
      this.#serverClock.observe(response)
      const text = await response.text()
      // A 401 after a refresh proved the session alive refuses the credentials, as a 403 does.
      if (response.status === 401 && !retried) return held
      if (response.status >= 400 && response.status < 500) {
        const code = serverErrorCode(text)
        throw new SessionVaultError(
          'ERR_LOGIN_FAILED',
          `Re-authentication refused (${response.status}${code ? ` ${code}` : ''})`,
        )
      }
      if (response.status !== 200)
        throw new SessionVaultError('ERR_NETWORK', `Re-authentication failed (${response.status})`)
      // The server answered for the session whose token it was given: a rotated session id is this session's.
      this.#hold(parseTokenResponse(text), text, held)
      this.#hooks.changed()
      return 'done'
    })
    if (outcome === 'done') return
    if (outcome !== 'ended' && (await this.recover(this.#grantOf(outcome)!)))
      return this.reauthenticate(credentials, true)
    throw sessionEnded()
  }

  logout(timeoutMs: number): Promise<boolean> {
    if (!this.#config.logoutUrl) return Promise.resolve(false)
    const held = this.#tokens.current
    return postLogout(
      this.#config.logoutUrl,
      {
        headers: held ? { Authorization: `Bearer ${held.accessToken}` } : {},
        body: form({ token_type_hint: 'refresh_token', token: held?.refreshToken }),
      },
      timeoutMs,
    )
  }

  isReserved(url: string): boolean {
    return this.#reserved(url)
  }

  async wipe(): Promise<void> {
    this.#tokens.clear()
  }

  /** The keepalive and the status check: POST with the bearer token; a 401 gets one refresh, then ends the session. */
  async #askDeadlines(url: string | undefined, what: string, retried = false): Promise<ServerDeadlines | null> {
    const held = this.#tokens.current
    if (!url || !held) return null
    const response = await send(
      url,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${held.accessToken}`, ...VAULT_HEADER },
        credentials: 'include',
        cache: 'no-store',
      },
      what,
    )
    if (response.status === 401) {
      if (retried) {
        this.#hooks.end('server')
        return null
      }
      const recovered = await this.recover(this.#grantOf(held)!)
      return recovered ? this.#askDeadlines(url, what, true) : null
    }
    if (!response.ok) throw new SessionVaultError('ERR_NETWORK', `${what} failed (${response.status})`)
    const receivedAt = this.#serverClock.observe(response)
    return this.#serverClock.parseDeadlines(await response.text(), receivedAt)
  }

  #grantOf(held: Held<Session> | undefined): Grant | null {
    if (!held) return null
    const { accessToken, generation } = held
    return { generation, apply: headers => headers.set('Authorization', `Bearer ${accessToken}`) }
  }

  #hold(tokens: TokenSet, text: string, previous?: Held<Session>): void {
    const receivedAt = this.#now()
    const server = this.#serverClock.parseDeadlines(text, receivedAt)
    const session = { sessionId: tokens.sessionId, ...(Object.keys(server).length > 0 ? { server } : {}) }
    this.#tokens.hold(tokens, tokens.refreshToken ?? previous?.refreshToken, session, receivedAt)
  }

  /** Single-flight ({@link HeldTokens.refresh}); resolves whether the session is (still) authenticated. */
  #refresh(stale: number | undefined, why: RefreshReason): Promise<boolean> {
    return this.#tokens.refresh(stale, () => this.#refreshNow(why))
  }

  async #refreshNow(why: RefreshReason): Promise<boolean> {
    const previous = this.#tokens.current
    const response = await send(
      this.#config.refreshUrl!,
      {
        method: 'POST',
        headers: VAULT_HEADER,
        body: form({ grant_type: 'refresh_token', refresh_token: previous?.refreshToken }),
        credentials: 'include',
        cache: 'no-store',
      },
      'Refresh',
    )
    this.#serverClock.observe(response)
    const text = await response.text()
    if (response.status === 400 || response.status === 401) {
      this.#tokens.clear()
      if (why !== 'restore') this.#hooks.end(why === 'rejected' ? 'server' : 'revoked')
      return false
    }
    if (response.status !== 200) throw new SessionVaultError('ERR_NETWORK', `Refresh failed (${response.status})`)
    const tokens = parseTokenResponse(text)
    // Tokens of another session (a refresh cookie planted by a cross-site form, say) end this one:
    // the vault never switches identity. The old tokens stay for the logout call, the new ones are dropped.
    if (previous?.sessionId !== undefined && tokens.sessionId !== previous.sessionId) {
      this.#hooks.end('revoked')
      return false
    }
    this.#hold(tokens, text, previous)
    this.#hooks.changed()
    return true
  }
}
