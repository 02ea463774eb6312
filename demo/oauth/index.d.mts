/** Mutable at run time (tests change them between steps). Seconds. */
export interface OAuthSettings {
  accessTokenTtl: number
  refreshTokenTtl: number
  /** The provider's token endpoint demands DPoP nonces (400 use_dpop_nonce). */
  requireDpopNonce: boolean
  /** The resource server demands DPoP nonces (401 WWW-Authenticate: DPoP error="use_dpop_nonce"). */
  resourceServerNonce: boolean
  /** The resource server's `POST /api/sensitive` wants a sign-in (`auth_time`) at most this old (RFC 9470 step-up). */
  stepUpMaxAge: number
}

export interface StartOAuthOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Provider port; default 0 (any free port). The issuer is `http://<host>:<port>`. */
  port?: number
  /** Resource server port; default 0. */
  resourcePort?: number
  /** The SPA's origin: CORS is allowed for it only. */
  appOrigin: string
  /** Default 'session-vault-spa'. */
  clientId?: string
  /** Registered redirect URIs (exact match). Default [`${appOrigin}/`]. */
  redirectUris?: string[]
  /** Registered post-logout redirect URIs. Default [`${appOrigin}/`]. */
  postLogoutRedirectUris?: string[]
  /** Default 60. */
  accessTokenTtl?: number
  /** Default 3600. */
  refreshTokenTtl?: number
  /** Default true. */
  requireDpopNonce?: boolean
  /** Default false. */
  resourceServerNonce?: boolean
  /** Default 300. */
  stepUpMaxAge?: number
}

export interface IssuedTokens {
  access_token: string
  token_type: string
  expires_in?: number
  refresh_token?: string
  id_token?: string
  scope?: string
  /** Epoch ms. */
  at: number
}

export interface ResourceLogEntry {
  method: string
  path: string
  scheme: 'Bearer' | 'DPoP' | null
  hasProof: boolean
  status: number
  error?: string
}

export interface RunningOAuth {
  /** e.g. 'http://127.0.0.1:8798' (no trailing slash). */
  issuer: string
  clientId: string
  /** The resource server's origin; its API is under /api/. */
  resourceUrl: string
  settings: OAuthSettings
  /** Every successful token endpoint answer since start (test support). */
  issued: IssuedTokens[]
  /** Every token endpoint error answer since start. */
  errors: { error: string; description?: string; at: number }[]
  resourceLog: ResourceLogEntry[]
  /** The resource server answers 401 invalid_token to every access token it has seen so far. */
  expireSeen(): void
  /** RFC 7662 introspection with the resource server's credentials. */
  introspect(token: string): Promise<{ active: boolean; [claim: string]: unknown }>
  close(): Promise<void>
}

export declare function startOAuth(opts: StartOAuthOptions): Promise<RunningOAuth>

/** Options of `startProvider` (what `startOAuth` passes it). */
export interface StartProviderOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 (any free port). */
  port?: number
  appOrigin: string
  /** Default 'session-vault-spa'. */
  clientId?: string
  redirectUris: string[]
  /** Default []. */
  postLogoutRedirectUris?: string[]
  /** The resource server's client registration: it may introspect, nothing else. */
  resourceServer: { clientId: string; clientSecret: string }
  settings: OAuthSettings
}

export interface RunningProvider {
  issuer: string
  /** The oidc-provider instance. */
  provider: unknown
  issued: IssuedTokens[]
  errors: { error: string; description?: string; at: number }[]
  close(): Promise<void>
}

/** Options of `startResourceServer` (what `startOAuth` passes it). */
export interface StartResourceServerOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 (any free port). */
  port?: number
  appOrigin: string
  /** The provider's RFC 7662 endpoint. */
  introspectionEndpoint: string
  /** The resource server's credentials at the provider. */
  clientId: string
  clientSecret: string
  settings: OAuthSettings
}

export interface RunningResourceServer {
  /** Its origin; the API is under /api/. */
  url: string
  log: ResourceLogEntry[]
  expireSeen(): void
  close(): Promise<void>
}
