import { challengeOf, randomToken } from '../../src/shared/encoding.js'
import { SessionVaultError, sessionEnded } from '../../src/shared/errors.js'
import { withLock } from '../../src/shared/locks.js'
import type { AuthConfig, ServerDeadlines, VaultInfo } from '../../src/shared/protocol.js'
import type { Authenticator, AuthHooks, Grant } from '../authenticator.js'
import { endpointKey } from '../endpoint.js'
import { form, send } from '../http.js'
import { parseTokenResponse, serverErrorCode, type TokenSet } from '../token-response.js'
import { asksForNonce, createProof, type DpopKey, DpopNonces, generateDpopKey, usableKey } from './dpop.js'
import { checkIdToken, publicClaims } from './jwt.js'
import { type OAuthStorage, OAuthStore } from './oauth-store.js'

type OAuthConfig = Extract<AuthConfig, { type: 'oauth' }>

/** Refresh this long before expiry (or at half the lifetime of shorter-lived tokens), as in token mode. */
export const REFRESH_MARGIN_MS = 30_000

/** Authorization request parameters the vault sets itself: `loginWithRedirect(params)` may not pass them. */
export const RESERVED_PARAMS: ReadonlySet<string> = new Set([
  'response_type',
  'response_mode',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'code_verifier',
  'dpop_jkt',
  'request',
  'request_uri',
])

/** Endpoint metadata fields whose answers carry or mint secrets: `session.fetch` never reaches them. */
const RESERVED_METADATA = [
  'token_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
  'backchannel_authentication_endpoint',
  'registration_endpoint',
  'authorization_endpoint',
  'end_session_endpoint',
] as const

export interface Endpoints {
  authorization: string
  token: string
  revocation?: string
  endSession?: string
  /** RFC 9207: the server promises `iss` in every authorization response. */
  issParameterSupported: boolean
  /** Every authorization-server endpoint known (reserved for `session.fetch`). */
  all: string[]
}

interface Held {
  accessToken: string
  tokenType: 'Bearer' | 'DPoP'
  refreshToken?: string
  expiresAt?: number
  refreshAt?: number
  sub?: string
  claims?: Record<string, unknown>
  generation: number
}

type TokenResult = { ok: true; tokens: TokenSet } | { ok: false; status: number; code?: string }

export interface OAuthDependencies {
  now?: () => number
  store?: OAuthStorage
}

const callbackError = (why: string) => new SessionVaultError('ERR_OAUTH_CALLBACK', `Sign-in callback refused: ${why}`)
const oauthError = (what: string, result: { status: number; code?: string }) =>
  new SessionVaultError('ERR_OAUTH', `${what} refused by the authorization server (${result.code ?? result.status})`)
/** An OAuth `error` code fit for a message: RFC 6749 allows %x20-21 / %x23-5B / %x5D-7E; we keep word characters only. */
const safeCode = (value: string): string => (/^[\w.-]{1,64}$/.test(value) ? value : 'an unrecognised error')

/**
 * OAuth 2.0 / OpenID Connect public client (authorization code + PKCE S256,
 * RFC 9207 `iss`, RFC 7009 revocation, RP-initiated logout, DPoP RFC 9449).
 * Tokens live in this instance; with `persist: 'dpop'` the DPoP-bound
 * refresh token is also kept in IndexedDB for reloads and new tabs.
 */
export class OAuthAuthenticator implements Authenticator {
  #held: Held | undefined
  #generation = 0
  #refreshing: Promise<boolean> | undefined
  #discovery: Promise<Endpoints> | undefined
  #known: string[] = []
  #key: DpopKey | undefined
  #keyLoading: Promise<DpopKey | undefined> | undefined
  /** Signed in at some point since the last wipe (RP-initiated logout still makes sense after a failed refresh). */
  #signedIn = false
  #wiped = false
  readonly #nonces = new DpopNonces()
  readonly #store: OAuthStorage
  readonly #now: () => number

  constructor(
    private readonly config: OAuthConfig,
    private readonly lockName: string,
    private readonly hooks: AuthHooks,
    deps: OAuthDependencies = {},
  ) {
    this.#now = deps.now ?? Date.now
    this.#store = deps.store ?? new OAuthStore(lockName, this.#now)
    this.#known = [
      config.authorizationEndpoint,
      config.tokenEndpoint,
      config.revocationEndpoint,
      config.endSessionEndpoint,
    ]
      .filter((u): u is string => u !== undefined)
      .map(endpointKey)
  }

  info(): VaultInfo {
    const held = this.#held
    if (!held) return { authenticated: false }
    const info: VaultInfo = { authenticated: true }
    if (held.expiresAt !== undefined) info.expiresAt = held.expiresAt
    if (held.claims) info.claims = structuredClone(held.claims)
    return info
  }

  /** With `persist: 'dpop'`: signs in from the stored DPoP-bound refresh token (reload, new tab, another tab's login). */
  async restore(): Promise<void> {
    if (this.config.persist !== 'dpop' || this.#held || this.#wiped) return
    try {
      if (!(await this.#store.loadSession())) return
      await this.#endpoints()
      await this.#refresh(undefined, 'restore')
    } catch {
      /* provider unreachable: anonymous for now, the stored token stays for the next try */
    }
  }

  async login(): Promise<void> {
    throw new SessionVaultError('ERR_INVALID_STATE', "auth.type 'oauth' signs in with loginWithRedirect()")
  }

  async authorizationUrl(params: Record<string, string>): Promise<string> {
    if (this.#held) throw new SessionVaultError('ERR_INVALID_STATE', 'Already signed in: log out first')
    const extra = Object.entries(params ?? {})
    for (const [name, value] of extra) {
      if (typeof value !== 'string')
        throw new SessionVaultError('ERR_BAD_OPTIONS', 'loginWithRedirect: parameter values must be strings')
      if (RESERVED_PARAMS.has(name)) {
        throw new SessionVaultError('ERR_BAD_OPTIONS', `loginWithRedirect: ${name.slice(0, 40)} is set by the vault`)
      }
    }
    const endpoints = await this.#endpoints()
    const verifier = randomToken(32)
    const state = randomToken(32)
    const nonce = randomToken(32)
    const challenge = await challengeOf(verifier)
    const jkt = this.config.dpop ? (await this.#dpopKey(true))!.thumbprint : undefined
    await this.#store.addPending({ state, nonce, verifier, jkt, createdAt: this.#now() })
    const url = new URL(endpoints.authorization)
    for (const [name, value] of extra) url.searchParams.set(name, value)
    url.searchParams.set('response_type', 'code')
    url.searchParams.set('client_id', this.config.clientId)
    url.searchParams.set('redirect_uri', this.config.redirectUri)
    url.searchParams.set('scope', this.config.scope)
    url.searchParams.set('state', state)
    url.searchParams.set('nonce', nonce)
    url.searchParams.set('code_challenge', challenge)
    url.searchParams.set('code_challenge_method', 'S256')
    if (jkt) url.searchParams.set('dpop_jkt', jkt)
    return url.href
  }

  /**
   * The redirect back from the authorization server. Every failure is
   * `ERR_OAUTH_CALLBACK` (the pending login is consumed either way), except
   * what the token endpoint answers (`ERR_OAUTH`, `ERR_TOKEN_RESPONSE`, `ERR_NETWORK`).
   */
  async callback(url: string): Promise<void> {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {
      parsed = undefined
    }
    const states = parsed?.searchParams.getAll('state') ?? []
    const pending = await this.#store.takePending(states.length === 1 ? states[0]! : null).catch(() => undefined)
    if (!parsed) throw callbackError('not a URL')
    const redirect = new URL(this.config.redirectUri)
    if (parsed.origin !== redirect.origin || parsed.pathname !== redirect.pathname)
      throw callbackError('not the redirect URI')
    const params = parsed.searchParams
    for (const name of ['code', 'state', 'iss', 'error']) {
      if (params.getAll(name).length > 1) throw callbackError(`${name} repeated`)
    }
    const error = params.get('error')
    if (error !== null) throw callbackError(`the authorization server answered ${safeCode(error)}`)
    if (states.length === 0) throw callbackError('state missing')
    if (!pending) throw callbackError('state does not match a sign-in started here (or it expired)')
    const endpoints = await this.#endpoints()
    const iss = params.get('iss')
    if (this.config.issuer !== undefined) {
      if (iss !== null && iss !== this.config.issuer) throw callbackError('iss does not match the issuer')
      if (iss === null && endpoints.issParameterSupported) throw callbackError('iss missing')
    }
    const code = params.get('code')
    if (!code) throw callbackError('code missing')
    if (this.#held) throw new SessionVaultError('ERR_INVALID_STATE', 'Already signed in: log out first')
    let key: DpopKey | undefined
    if (this.config.dpop) {
      key = await this.#dpopKey(false)
      if (!key || key.thumbprint !== pending.jkt) throw callbackError('the DPoP key changed during sign-in')
    }

    const result = await this.#tokenRequest(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.config.redirectUri,
        code_verifier: pending.verifier,
      },
      'Code exchange',
    )
    if (!result.ok) throw oauthError('Code exchange', result)
    const { tokens } = result
    let sub: string | undefined
    let claims: Record<string, unknown> | undefined
    if (this.config.issuer !== undefined) {
      try {
        if (tokens.idToken) {
          const payload = checkIdToken(tokens.idToken, {
            issuer: this.config.issuer,
            clientId: this.config.clientId,
            nonce: pending.nonce,
            now: Math.floor(this.#now() / 1000),
          })
          sub = payload.sub as string
          claims = publicClaims(payload)
        } else if (this.config.scope.split(' ').includes('openid')) {
          throw new SessionVaultError('ERR_TOKEN_RESPONSE', 'Malformed token response: id_token missing')
        }
      } catch (error) {
        await this.#discard(tokens)
        throw error
      }
    }
    if (this.#wiped) throw sessionEnded()
    if (this.config.persist === 'dpop' && key && tokens.refreshToken) {
      const saved = { refreshToken: tokens.refreshToken, jkt: key.thumbprint, sub, claims, savedAt: this.#now() }
      await this.#withLock(() => this.#store.saveSession(saved))
    }
    this.#hold(tokens, tokens.refreshToken, sub, claims)
  }

  async grant(): Promise<Grant | null> {
    const held = this.#held
    if (!held) return null
    if (held.refreshAt !== undefined && this.#now() >= held.refreshAt && this.#canRefresh(held)) {
      if (!(await this.#refresh(held.generation, 'expiry'))) return null
    }
    return this.#grantOf(this.#held)
  }

  /**
   * After a 401. A DPoP resource server asking for a nonce (`WWW-Authenticate:
   * DPoP error="use_dpop_nonce"` with a new `DPoP-Nonce`) gets the same token
   * again, with a proof that carries the nonce; anything else means refresh.
   * `response` is optional: without it, the nonce case cannot be told apart.
   */
  async recover(used: Grant, response?: Response): Promise<Grant | null> {
    const held = this.#held
    if (!held) return null
    if (response && held.tokenType === 'DPoP' && response.url) {
      const fresh = this.#nonces.learn(response.url, response.headers)
      if (fresh && asksForNonce(response.status, response.headers) && held.generation === used.generation) {
        return this.#grantOf(held)
      }
    }
    if (!this.#canRefresh(held)) {
      this.hooks.end('server')
      return null
    }
    if (!(await this.#refresh(used.generation, 'rejected'))) return null
    return this.#grantOf(this.#held)
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
      if (!this.#held && (this.config.persist !== 'dpop' || !(await this.#store.loadSession().catch(() => undefined))))
        return true
      const endpoints = await Promise.race([this.#endpoints(), aborted(signal)])
      const endpoint = endpoints.revocation
      if (!endpoint) return false
      return await this.#withLock(async () => {
        const held = this.#held
        let refreshToken = held?.refreshToken
        if (this.config.persist === 'dpop') {
          const stored = await this.#store.loadSession().catch(() => undefined)
          if (stored && (held?.sub === undefined || stored.sub === held.sub)) refreshToken = stored.refreshToken
        }
        const accessToken = held?.accessToken
        const confirmed: boolean[] = []
        if (refreshToken) confirmed.push(await this.#revoke(endpoint, refreshToken, 'refresh_token', signal))
        if (accessToken) confirmed.push(await this.#revoke(endpoint, accessToken, 'access_token', signal))
        if (this.config.persist === 'dpop') await this.#store.deleteSession().catch(() => {})
        return confirmed.every(Boolean)
      }, signal)
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
    if (!this.config.postLogoutRedirectUri || !this.#signedIn) return undefined
    try {
      const { endSession } = await this.#endpoints()
      if (!endSession) return undefined
      const url = new URL(endSession)
      url.searchParams.set('client_id', this.config.clientId)
      url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri)
      return url.href
    } catch {
      return undefined
    }
  }

  isReserved(url: string): boolean {
    try {
      return this.#known.includes(endpointKey(url))
    } catch {
      return false
    }
  }

  /** Forgets the tokens and deletes the DPoP key, the persisted refresh token and any pending sign-in. */
  async wipe(): Promise<void> {
    this.#wiped = true
    this.#held = undefined
    this.#signedIn = false
    this.#key = undefined
    this.#nonces.clear()
    try {
      await this.#store.wipe()
    } catch {
      /* storage blocked: nothing we can reach */
    }
  }

  // --- internals -----------------------------------------------------------

  #canRefresh(held: Held): boolean {
    return held.refreshToken !== undefined || this.config.persist === 'dpop'
  }

  #grantOf(held: Held | undefined): Grant | null {
    if (!held) return null
    const { accessToken, tokenType, generation } = held
    return {
      generation,
      apply: async (headers, request) => {
        if (this.isReserved(request.url)) {
          throw new SessionVaultError('ERR_RESERVED_URL', "session.fetch cannot call the vault's own auth endpoints")
        }
        if (tokenType === 'DPoP') {
          const key = await this.#dpopKey(false)
          if (!key) throw sessionEnded('The DPoP key is gone')
          headers.set('Authorization', `DPoP ${accessToken}`)
          headers.set(
            'DPoP',
            await createProof(key, {
              htm: request.method,
              url: request.url,
              accessToken,
              nonce: this.#nonces.get(request.url),
            }),
          )
        } else {
          headers.set('Authorization', `Bearer ${accessToken}`)
          headers.delete('DPoP')
        }
      },
    }
  }

  #hold(
    tokens: TokenSet,
    refreshToken: string | undefined,
    sub: string | undefined,
    claims: Record<string, unknown> | undefined,
  ): void {
    const receivedAt = this.#now()
    const lifetime = tokens.expiresIn === undefined ? undefined : tokens.expiresIn * 1000
    this.#held = {
      accessToken: tokens.accessToken,
      tokenType: tokens.tokenType,
      refreshToken,
      expiresAt: lifetime === undefined ? undefined : receivedAt + lifetime,
      refreshAt: lifetime === undefined ? undefined : receivedAt + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2),
      sub,
      claims,
      generation: ++this.#generation,
    }
    this.#signedIn = true
  }

  /**
   * Single-flight refresh: one promise per tab, one Web Lock across tabs.
   * With `stale`, nothing is sent when the tokens already moved past that
   * generation. Resolves whether the session is (still) authenticated.
   */
  #refresh(stale: number | undefined, why: 'restore' | 'expiry' | 'rejected'): Promise<boolean> {
    if (stale !== undefined && this.#held && this.#held.generation !== stale) return Promise.resolve(true)
    this.#refreshing ??= this.#withLock(() => this.#refreshNow(why)).finally(() => {
      this.#refreshing = undefined
    })
    return this.#refreshing
  }

  /**
   * Runs under the lock. With `persist: 'dpop'` the refresh token is read
   * again from storage now that the lock is held (another tab may have
   * rotated it), and the rotated one is written back before the lock is
   * released: no tab ever sends a spent refresh token.
   */
  async #refreshNow(why: 'restore' | 'expiry' | 'rejected'): Promise<boolean> {
    if (this.#wiped) return false
    const held = this.#held
    let refreshToken = held?.refreshToken
    let sub = held?.sub
    let claims = held?.claims
    const key = this.config.dpop ? await this.#dpopKey(false) : undefined
    const persist = this.config.persist === 'dpop' && key !== undefined
    if (persist && key) {
      const stored = await this.#store.loadSession()
      if (stored && stored.jkt === key.thumbprint && (sub === undefined || stored.sub === sub)) {
        refreshToken = stored.refreshToken
        sub ??= stored.sub
        claims ??= stored.claims
      }
    }
    // Nothing usable (a stored token without its key, or bound to another key, is worthless): forget it.
    if (!refreshToken || (this.config.dpop && !key)) return this.#refused(why, this.config.persist === 'dpop')

    const result = await this.#tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, 'Refresh')
    if (this.#wiped) return false
    if (!result.ok) return this.#refused(why, persist)
    const { tokens } = result
    const next = tokens.refreshToken ?? refreshToken
    if (tokens.idToken && this.config.issuer !== undefined) {
      try {
        const payload = checkIdToken(tokens.idToken, {
          issuer: this.config.issuer,
          clientId: this.config.clientId,
          sub,
          now: Math.floor(this.#now() / 1000),
        })
        sub = payload.sub as string
        claims = publicClaims(payload)
      } catch {
        return this.#refused(why, persist)
      }
    }
    if (persist && key)
      await this.#store.saveSession({ refreshToken: next, jkt: key.thumbprint, sub, claims, savedAt: this.#now() })
    this.#hold(tokens, next, sub, claims)
    this.hooks.changed()
    return true
  }

  async #refused(why: 'restore' | 'expiry' | 'rejected', forgetStored: boolean): Promise<boolean> {
    this.#held = undefined
    if (forgetStored) await this.#store.deleteSession().catch(() => {})
    if (why !== 'restore') this.hooks.end(why === 'rejected' ? 'server' : 'revoked')
    return false
  }

  /**
   * POSTs to the token endpoint (client_id in the body: public client), with a
   * DPoP proof when configured, retrying once when the server asks for a
   * DPoP nonce. Network trouble and 5xx throw `ERR_NETWORK`; 200 is parsed
   * (`ERR_TOKEN_RESPONSE` when malformed); 4xx resolves as a refusal.
   */
  async #tokenRequest(fields: Record<string, string>, what: string): Promise<TokenResult> {
    const { token } = await this.#endpoints()
    const body = form({ ...fields, client_id: this.config.clientId })
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers({ Accept: 'application/json' })
      if (this.config.dpop) {
        const key = await this.#dpopKey(false)
        if (!key) return { ok: false, status: 0, code: 'dpop_key_missing' }
        headers.set('DPoP', await createProof(key, { htm: 'POST', url: token, nonce: this.#nonces.get(token) }))
      }
      const response = await send(
        token,
        { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store', redirect: 'error' },
        what,
      )
      const fresh = this.config.dpop && this.#nonces.learn(token, response.headers)
      const text = await response.text()
      if (response.status === 200)
        return { ok: true, tokens: parseTokenResponse(text, this.config.dpop ? ['dpop'] : ['bearer']) }
      const code = serverErrorCode(text)
      if (attempt === 0 && fresh && asksForNonce(response.status, response.headers, code)) continue
      if (response.status >= 500 || response.status < 400)
        throw new SessionVaultError('ERR_NETWORK', `${what} failed (${response.status})`)
      return { ok: false, status: response.status, code }
    }
  }

  /** Best effort: revokes tokens the vault will not keep (an ID token failed its checks). */
  async #discard(tokens: TokenSet): Promise<void> {
    try {
      const { revocation } = await this.#endpoints()
      if (!revocation) return
      const signal = AbortSignal.timeout(5_000)
      if (tokens.refreshToken) await this.#revoke(revocation, tokens.refreshToken, 'refresh_token', signal)
      await this.#revoke(revocation, tokens.accessToken, 'access_token', signal)
    } catch {
      /* nothing more to do */
    }
  }

  async #revoke(
    endpoint: string,
    token: string,
    hint: 'refresh_token' | 'access_token',
    signal: AbortSignal,
  ): Promise<boolean> {
    try {
      // A CORS-simple request (form body, no custom header: RFC 7009 needs no DPoP proof), so `keepalive` works.
      const response = await fetch(endpoint, {
        method: 'POST',
        body: form({ token, token_type_hint: hint, client_id: this.config.clientId }),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        keepalive: true,
        signal,
      })
      return response.status === 200
    } catch {
      return false
    }
  }

  /** The DPoP key: memory, else IndexedDB (only a non-extractable P-256 signing key is accepted), else made (when `create`). */
  async #dpopKey(create: boolean): Promise<DpopKey | undefined> {
    if (this.#key) return this.#key
    const load = async (): Promise<DpopKey | undefined> => usableKey(await this.#store.loadKey().catch(() => undefined))
    let key = await (this.#keyLoading ??= load().finally(() => (this.#keyLoading = undefined)))
    if (!key && create) {
      // Under a lock with a re-read, so two tabs starting a sign-in together end up with one key.
      key = await this.#withLock(
        async () => {
          const again = await load()
          if (again) return again
          const fresh = await generateDpopKey()
          await this.#store.saveKey(fresh)
          return fresh
        },
        undefined,
        ':dpop-key',
      )
    }
    if (key && !this.#wiped) this.#key = key
    return key
  }

  #endpoints(): Promise<Endpoints> {
    this.#discovery ??= this.#discover().then(
      endpoints => {
        this.#known = endpoints.all
        return endpoints
      },
      (error: unknown) => {
        this.#discovery = undefined
        throw error
      },
    )
    return this.#discovery
  }

  async #discover(): Promise<Endpoints> {
    const c = this.config
    const required = !c.authorizationEndpoint || !c.tokenEndpoint
    let meta: Record<string, unknown> = {}
    if (c.issuer !== undefined) {
      try {
        meta = await fetchMetadata(c.issuer)
      } catch (error) {
        if (required) throw error
      }
    }
    const authorization = c.authorizationEndpoint ?? endpointOf(meta.authorization_endpoint)
    const token = c.tokenEndpoint ?? endpointOf(meta.token_endpoint)
    if (!authorization || !token) {
      throw new SessionVaultError('ERR_OAUTH', 'Discovery: authorization_endpoint or token_endpoint missing')
    }
    const methods = meta.code_challenge_methods_supported
    if (Array.isArray(methods) && !methods.includes('S256')) {
      throw new SessionVaultError('ERR_OAUTH', 'Discovery: the server does not support PKCE S256')
    }
    const all = new Set(
      [authorization, token, c.revocationEndpoint, c.endSessionEndpoint]
        .filter((u): u is string => !!u)
        .map(endpointKey),
    )
    for (const field of RESERVED_METADATA) {
      const url = endpointOf(meta[field])
      if (url) all.add(endpointKey(url))
    }
    return {
      authorization,
      token,
      revocation: c.revocationEndpoint ?? endpointOf(meta.revocation_endpoint),
      endSession: c.endSessionEndpoint ?? endpointOf(meta.end_session_endpoint),
      issParameterSupported: meta.authorization_response_iss_parameter_supported === true,
      all: [...all],
    }
  }

  async #withLock<T>(task: () => Promise<T>, signal?: AbortSignal, suffix = ''): Promise<T> {
    return withLock(`${this.lockName}${suffix}`, task, signal ? { signal } : {})
  }
}

/** OpenID Connect Discovery 1.0: the metadata, whose `issuer` must equal the configured one exactly. */
async function fetchMetadata(issuer: string): Promise<Record<string, unknown>> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const response = await send(
    url,
    { credentials: 'omit', redirect: 'error', headers: { Accept: 'application/json' } },
    'Discovery',
  )
  if (response.status >= 500) throw new SessionVaultError('ERR_NETWORK', `Discovery failed (${response.status})`)
  if (response.status !== 200) throw new SessionVaultError('ERR_OAUTH', `Discovery failed (${response.status})`)
  let meta: unknown
  try {
    meta = JSON.parse(await response.text())
  } catch {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the metadata is not JSON')
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the metadata is not a JSON object')
  }
  if ((meta as Record<string, unknown>).issuer !== issuer) {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the metadata issuer does not match auth.issuer')
  }
  return meta as Record<string, unknown>
}

/** An http(s) endpoint URL from metadata, or undefined. */
function endpointOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
    url.hash = ''
    return url.href
  } catch {
    return undefined
  }
}

/** origin + path: the identity of an endpoint, whatever the query. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}
