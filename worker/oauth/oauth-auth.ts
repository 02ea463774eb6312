// The OAuth authenticator: it wires discovery, the authorization request, the token endpoint, DPoP
// and the held tokens (each in its own module); just over 300 lines because each Authenticator
// method is here.
import { SessionVaultError, sessionEnded } from '../../src/shared/errors.js'
import { withLock } from '../../src/shared/locks.js'
import type { AuthConfig, ServerDeadlines, VaultInfo } from '../../src/shared/protocol.js'
import type { Authenticator, AuthHooks, Grant } from '../authenticator.js'
import { type Held, HeldTokens, type RefreshReason } from '../held-tokens.js'
import { isTransient } from '../http.js'
import type { TokenSet } from '../token-response.js'
import {
  authorizationRequest,
  callbackError,
  checkCallback,
  checkStepUp,
  extraParams,
  signInIdentity,
} from './authorization.js'
import { Discovery } from './discovery.js'
import { DpopNonces } from './dpop.js'
import { DpopKeyHolder } from './dpop-key.js'
import { type Identity, identityOf } from './jwt.js'
import { type OAuthStorage, OAuthStore } from './oauth-store.js'
import { PersistedRefresh } from './persisted-refresh.js'
import { asksForNewNonce, resourceGrant } from './resource-grant.js'
import { TokenEndpoint } from './token-endpoint.js'

type OAuthConfig = Extract<AuthConfig, { type: 'oauth' }>

type OAuthSession = Identity & { tokenType: TokenSet['tokenType'] }
type OAuthHeld = Held<OAuthSession>

interface OAuthDependencies {
  now?: () => number
  store?: OAuthStorage
}

/**
 * OAuth 2.0 / OpenID Connect public client (authorization code + PKCE S256,
 * RFC 9207 `iss`, RFC 7009 revocation, RP-initiated logout, DPoP RFC 9449).
 * Tokens live in this instance; with `persist: 'dpop'` the DPoP-bound
 * refresh token is also kept in IndexedDB for reloads and new tabs.
 */
export class OAuthAuthenticator implements Authenticator {
  /** Signed in at some point since the last wipe (RP-initiated logout still makes sense after a failed refresh). */
  #signedIn = false
  #wiped = false
  readonly #nonces = new DpopNonces()
  readonly #config: OAuthConfig
  readonly #lockName: string
  readonly #hooks: AuthHooks
  readonly #now: () => number
  readonly #store: OAuthStorage
  readonly #persisted: PersistedRefresh
  readonly #tokens: HeldTokens<OAuthSession>
  readonly #discovery: Discovery
  readonly #keys: DpopKeyHolder
  readonly #tokenEndpoint: TokenEndpoint

  constructor(config: OAuthConfig, lockName: string, hooks: AuthHooks, deps: OAuthDependencies = {}) {
    this.#config = config
    this.#lockName = lockName
    this.#hooks = hooks
    this.#now = deps.now ?? Date.now
    this.#store = deps.store ?? new OAuthStore(lockName, this.#now)
    this.#persisted = new PersistedRefresh(this.#store, config.persist === 'dpop', this.#now)
    this.#tokens = new HeldTokens(lockName, this.#now)
    this.#discovery = new Discovery(config)
    this.#keys = new DpopKeyHolder(this.#store, `${lockName}:dpop-key`)
    this.#tokenEndpoint = new TokenEndpoint(config, this.#discovery, () => this.#keys.get(false), this.#nonces)
  }

  info(): VaultInfo {
    const held = this.#tokens.current
    if (!held) return { authenticated: false }
    const info: VaultInfo = { authenticated: true }
    if (held.expiresAt !== undefined) info.expiresAt = held.expiresAt
    if (held.claims) info.claims = structuredClone(held.claims)
    return info
  }

  /** With `persist: 'dpop'`: signs in from the stored DPoP-bound refresh token (reload, new tab, another tab's login). */
  async restore(): Promise<boolean> {
    if (this.#config.persist !== 'dpop' || this.#tokens.current || this.#wiped) return true
    try {
      if (!(await this.#persisted.load())) return true
      await this.#discovery.endpoints()
      await this.#refresh(undefined, 'restore')
      return true
    } catch (error) {
      // The provider unreachable: anonymous for now, the stored token stays for the next try.
      return !isTransient(error)
    }
  }

  async login(): Promise<void> {
    throw new SessionVaultError('ERR_INVALID_STATE', "auth.type 'oauth' signs in with loginWithRedirect()")
  }

  /** The authorization request; while signed in, only a step-up one (`max_age` or `acr_values`). */
  async authorizationUrl(params: Record<string, string>): Promise<string> {
    const { extra, stepUp } = extraParams(params, this.#config.redirectUri)
    if (this.#tokens.current && stepUp?.maxAge === undefined && !stepUp?.acrValues)
      throw new SessionVaultError('ERR_INVALID_STATE', 'Already signed in: log out first, or ask for a step-up')
    const endpoints = await this.#discovery.endpoints()
    const jkt = this.#config.dpop ? (await this.#keys.get(true))!.thumbprint : undefined
    const request = await authorizationRequest(endpoints.authorization, this.#config, extra, jkt, this.#now(), stepUp)
    await this.#store.addPending(request.pending)
    return request.url
  }

  /**
   * The redirect back from the authorization server. Every failure is
   * `ERR_OAUTH_CALLBACK` (the pending login is consumed either way), except
   * what the token endpoint answers (`ERR_OAUTH`, `ERR_TOKEN_RESPONSE`, `ERR_NETWORK`).
   */
  async callback(url: string): Promise<{ returnTo?: string }> {
    const { code, pending } = await checkCallback(
      url,
      this.#config,
      state => this.#store.takePending(state),
      async () => (await this.#discovery.endpoints()).issParameterSupported,
    )
    const { stepUp } = pending
    const previous = this.#tokens.current
    if (previous && !stepUp) throw new SessionVaultError('ERR_INVALID_STATE', 'Already signed in: log out first')
    const key = this.#config.dpop ? await this.#keys.get(false) : undefined
    if (this.#config.dpop && (!key || key.thumbprint !== pending.jkt))
      throw callbackError('the DPoP key changed during sign-in')

    const tokens = await this.#tokenEndpoint.exchangeCode(code, this.#config.redirectUri, pending.verifier)
    let identity: Identity
    try {
      identity = signInIdentity(tokens, this.#config, pending.nonce, this.#now())
      checkStepUp(identity, stepUp, this.#now())
      // A step-up upgrades this session: it never switches to another user.
      if (previous?.sub !== undefined && identity.sub !== previous.sub)
        throw callbackError('the step-up signed in another user')
    } catch (error) {
      await this.#tokenEndpoint.discard(tokens)
      throw error
    }
    if (this.#wiped) throw sessionEnded()
    const { refreshToken } = tokens
    if (this.#config.persist === 'dpop' && key && refreshToken)
      await withLock(this.#lockName, () => this.#persisted.save(refreshToken, key.thumbprint, identity))
    // A step-up drops the old tokens without revoking them: the provider may keep both sets in one
    // grant, and revoking the old refresh token would revoke the grant (RFC 7009 section 2.1).
    this.#hold(tokens, tokens.refreshToken, identity)
    return stepUp?.returnTo ? { returnTo: stepUp.returnTo } : {}
  }

  async grant(): Promise<Grant | null> {
    const held = this.#tokens.current
    if (!held) return null
    if (this.#tokens.due() && this.#canRefresh(held)) {
      if (!(await this.#refresh(held.generation, 'expiry'))) return null
    }
    return this.#grantOf(this.#tokens.current)
  }

  /**
   * After a 401: the same token again when a DPoP resource server asked for
   * a nonce ({@link asksForNewNonce}), else a refresh. `response` is optional:
   * without it, the nonce case cannot be told apart.
   */
  async recover(used: Grant, response?: Response): Promise<Grant | null> {
    const held = this.#tokens.current
    if (!held) return null
    if (asksForNewNonce(held, used, response, this.#nonces)) return this.#grantOf(held)
    if (!this.#canRefresh(held)) {
      this.#hooks.end('server')
      return null
    }
    if (!(await this.#refresh(used.generation, 'rejected'))) return null
    return this.#grantOf(this.#tokens.current)
  }

  /** OAuth has no keepalive endpoint. */
  async keepalive(): Promise<ServerDeadlines | null> {
    return null
  }

  /**
   * RFC 7009: revokes the refresh token, then the access token, under the
   * refresh lock (so no tab rotates the refresh token meanwhile). Resolves
   * whether the server confirmed every revocation; true when there was
   * nothing left to revoke (so the vault's pending-logout retry at start-up
   * does not wait for a provider that holds nothing of ours).
   */
  async logout(timeoutMs: number): Promise<boolean> {
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      // Nothing held and nothing stored: nothing left for the server to invalidate (no network, no delay at start-up).
      if (!this.#tokens.current && !(await this.#persisted.load().catch(() => undefined))) return true
      const endpoint = (await this.#discovery.endpoints(signal)).revocation
      if (!endpoint) return false
      return await withLock(this.#lockName, () => this.#revokeAll(endpoint, signal), { signal })
    } catch {
      return false
    }
  }

  /**
   * OpenID Connect RP-Initiated Logout 1.0 with `client_id` and
   * `post_logout_redirect_uri`, and deliberately no `id_token_hint`: an ID
   * token in a URL would land in history and server logs.
   */
  async endSessionUrl(): Promise<string | undefined> {
    if (!this.#config.postLogoutRedirectUri || !this.#signedIn) return undefined
    try {
      const { endSession } = await this.#discovery.endpoints()
      if (!endSession) return undefined
      const url = new URL(endSession)
      url.searchParams.set('client_id', this.#config.clientId)
      url.searchParams.set('post_logout_redirect_uri', this.#config.postLogoutRedirectUri)
      return url.href
    } catch {
      return undefined
    }
  }

  isReserved(url: string): boolean {
    return this.#discovery.isReserved(url)
  }

  /** Forgets the tokens and deletes the DPoP key, the persisted refresh token and any pending sign-in. */
  async wipe(): Promise<void> {
    this.#wiped = true
    this.#tokens.clear()
    this.#signedIn = false
    this.#keys.forget()
    this.#nonces.clear()
    try {
      await this.#store.wipe()
    } catch {
      /* storage blocked: nothing we can reach */
    }
  }

  /** Under the refresh lock: revokes the tokens (the stored refresh token, when it is this user's) and forgets them. */
  async #revokeAll(endpoint: string, signal: AbortSignal): Promise<boolean> {
    const held = this.#tokens.current
    const stored = await this.#persisted.usable(held?.sub).catch(() => undefined)
    const refreshToken = stored?.refreshToken ?? held?.refreshToken
    const confirmed = await this.#tokenEndpoint.revoke(
      endpoint,
      { refreshToken, accessToken: held?.accessToken },
      signal,
    )
    await this.#persisted.forget()
    return confirmed
  }

  #canRefresh(held: OAuthHeld): boolean {
    return held.refreshToken !== undefined || this.#config.persist === 'dpop'
  }

  #grantOf(held: OAuthHeld | undefined): Grant | null {
    const context = { isReserved: (url: string) => this.isReserved(url), key: () => this.#keys.get(false) }
    return held ? resourceGrant(held, { ...context, nonces: this.#nonces }) : null
  }

  #hold(tokens: TokenSet, refreshToken: string | undefined, identity: Identity): void {
    this.#tokens.hold(tokens, refreshToken, { tokenType: tokens.tokenType, ...identity })
    this.#signedIn = true
  }

  /** Single-flight ({@link HeldTokens.refresh}); resolves whether the session is (still) authenticated. */
  #refresh(stale: number | undefined, why: RefreshReason): Promise<boolean> {
    return this.#tokens.refresh(stale, () => this.#refreshNow(why))
  }

  /**
   * Runs under the lock. With `persist: 'dpop'` the refresh token is read
   * again from storage now that the lock is held (another tab may have
   * rotated it), and the rotated one is written back before the lock is
   * released: no tab ever sends a spent refresh token.
   */
  async #refreshNow(why: RefreshReason): Promise<boolean> {
    if (this.#wiped) return false
    const held = this.#tokens.current
    let refreshToken = held?.refreshToken
    let identity: Identity = { sub: held?.sub, claims: held?.claims }
    const key = this.#config.dpop ? await this.#keys.get(false) : undefined
    const persist = this.#config.persist === 'dpop' && key !== undefined
    const stored = key ? await this.#persisted.usable(identity.sub, key.thumbprint) : undefined
    if (stored) {
      refreshToken = stored.refreshToken
      identity = { sub: identity.sub ?? stored.sub, claims: identity.claims ?? stored.claims }
    }
    // Nothing usable (a stored token without its key, or bound to another key, is worthless): forget it.
    if (!refreshToken || (this.#config.dpop && !key)) return this.#refused(why, this.#config.persist === 'dpop')

    const tokens = await this.#tokenEndpoint.refresh(refreshToken)
    if (this.#wiped) return false
    if (!tokens) return this.#refused(why, persist)
    const next = tokens.refreshToken ?? refreshToken
    const { issuer, clientId } = this.#config
    if (tokens.idToken && issuer !== undefined) {
      try {
        identity = identityOf(tokens.idToken, {
          issuer,
          clientId,
          sub: identity.sub,
          now: Math.floor(this.#now() / 1000),
        })
      } catch {
        return this.#refused(why, persist)
      }
    }
    if (key) await this.#persisted.save(next, key.thumbprint, identity)
    this.#hold(tokens, next, identity)
    this.#hooks.changed()
    return true
  }

  async #refused(why: RefreshReason, forgetStored: boolean): Promise<boolean> {
    this.#tokens.clear()
    if (forgetStored) await this.#persisted.forget()
    if (why !== 'restore') this.#hooks.end(why === 'rejected' ? 'server' : 'revoked')
    return false
  }
}
