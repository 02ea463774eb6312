/**
 * The public `auth` options, here because both threads use them: the page
 * validates them and the vault receives their normalised form
 * ({@link AuthConfig}: URLs absolute, defaults filled in).
 */

/**
 * First-party token endpoints (the token-mode server contract). The vault
 * POSTs the credentials to `loginUrl`, keeps the RFC 6749 section 5.1 answer in
 * worker memory, and attaches `Authorization: Bearer` to trusted requests.
 */
export interface TokenAuthOptions {
  type: 'token'
  /**
   * Where `session.login(credentials)` POSTs the credentials as JSON.
   * Relative URLs resolve against the page.
   * @example '/auth/login'
   */
  loginUrl: string
  /**
   * Refresh endpoint: form body `grant_type=refresh_token` (plus `refresh_token`
   * when the server gave one), always with cookies, so the server may keep the
   * refresh token in an HttpOnly cookie instead. Called once at start-up to
   * restore the session after a reload or in a new tab.
   * @default undefined (no refresh: the session ends when the access token expires)
   * @example '/auth/refresh'
   */
  refreshUrl?: string
  /**
   * Logout endpoint, POSTed with the bearer token and cookies; it should answer
   * `Clear-Site-Data: "cache", "cookies", "storage"`.
   * @default undefined (local wipe only; `serverConfirmed` is then false)
   * @example '/auth/logout'
   */
  logoutUrl?: string
  /**
   * Keepalive endpoint, POSTed with the bearer token while the user is active,
   * so the server's idle timer stays in step with the client's.
   * @default undefined (no keepalive)
   * @example '/auth/keepalive'
   */
  keepaliveUrl?: string
  /**
   * Status endpoint for the revocation `monitor`: POSTed with the bearer token,
   * it answers like the keepalive (`{ idleExpiresAt?, absoluteExpiresAt? }`, or
   * 401 once the session is gone) but never slides the server's idle timer.
   * @default undefined (no monitor)
   * @example '/auth/status'
   */
  statusUrl?: string
  /**
   * Step-up endpoint for `session.reauthenticate(credentials)`: POSTed with the
   * bearer token and the credentials as JSON. 200 is a token answer for the
   * same session (new tokens, a fresh auth time); 403 refuses the credentials
   * and leaves the session as it was.
   * @default undefined (`reauthenticate` rejects `ERR_INVALID_STATE`)
   * @example '/auth/reauth'
   */
  reauthUrl?: string
}

/**
 * Cookie sessions (server-rendered sites, backend-for-frontend): the session
 * lives in an HttpOnly cookie and no token exists in the browser. The vault
 * keeps only the CSRF token and adds it to state-changing same-origin requests.
 */
export interface CookieAuthOptions {
  type: 'cookie'
  /**
   * Same-origin endpoint (GET, with cookies) answering
   * `{ authenticated, idleExpiresAt?, absoluteExpiresAt?, csrfToken? }`.
   * @default undefined (the page counts as signed in: use only on pages served to signed-in users)
   * @example '/session'
   */
  sessionUrl?: string
  /**
   * Keepalive endpoint (POST, with cookies and the CSRF header) answering `{ idleExpiresAt?, absoluteExpiresAt? }` or 401.
   * @default undefined (no keepalive)
   */
  keepaliveUrl?: string
  /**
   * Status endpoint for the revocation `monitor` (POST, with cookies and the
   * CSRF header): answers like the keepalive, or 401, but never slides the
   * server's idle timer.
   * @default undefined (no monitor)
   * @example '/auth/status'
   */
  statusUrl?: string
  /**
   * Step-up endpoint for `session.reauthenticate(credentials)` (POST, JSON
   * credentials, with cookies and the CSRF header): 200 answers like
   * `sessionUrl` (a rotated cookie brings a new `csrfToken`); 403 refuses the
   * credentials and leaves the session as it was.
   * @default undefined (`reauthenticate` rejects `ERR_INVALID_STATE`)
   * @example '/auth/reauth'
   */
  reauthUrl?: string
  /**
   * Logout endpoint (POST, with cookies and the CSRF header). It should end the
   * server session and answer `Clear-Site-Data: "cache", "cookies", "storage"`.
   * @example '/logout'
   */
  logoutUrl: string
  /**
   * Header that carries the CSRF token on POST, PUT, PATCH and DELETE to the page's origin.
   * @default 'X-CSRF-Token'
   */
  csrfHeader?: string
}

/**
 * OAuth 2.0 / OpenID Connect public client (authorization code + PKCE S256),
 * run inside the vault: the tokens never reach the page.
 */
export interface OAuthAuthOptions {
  type: 'oauth'
  /**
   * Issuer identifier; endpoints are discovered from `<issuer>/.well-known/openid-configuration`
   * and the ID token's `iss` must equal it exactly.
   * @example 'https://login.example.com'
   */
  issuer?: string
  /** Explicit endpoint (overrides discovery). */
  authorizationEndpoint?: string
  /** Explicit endpoint (overrides discovery). */
  tokenEndpoint?: string
  /** RFC 7009 revocation endpoint (overrides discovery). */
  revocationEndpoint?: string
  /** RP-initiated logout endpoint (overrides discovery). */
  endSessionEndpoint?: string
  /** The client's id at the authorization server. */
  clientId: string
  /**
   * Same-origin page that calls `session.handleRedirectCallback()`.
   * @example '/callback'
   */
  redirectUri: string
  /**
   * Where the authorization server sends the browser after RP-initiated logout.
   * @default undefined (no RP-initiated logout: tokens are revoked, the provider session stays)
   */
  postLogoutRedirectUri?: string
  /**
   * Space-separated scopes.
   * @default 'openid'
   * @example 'openid profile offline_access'
   */
  scope?: string
  /**
   * Sender-constrained tokens (RFC 9449): a non-extractable P-256 key made in the vault.
   * @default false
   */
  dpop?: boolean
  /**
   * `'none'`: tokens live in worker memory only (a reload signs out).
   * `'dpop'` (needs `dpop: true`): the DPoP-bound refresh token is kept in IndexedDB,
   * useless without the non-extractable key, so reloads and new tabs stay signed in.
   * @default 'none'
   */
  persist?: 'none' | 'dpop'
}

/** Which authentication the vault performs. */
export type AuthOptions = TokenAuthOptions | CookieAuthOptions | OAuthAuthOptions

type Normalized<T, Defaulted extends keyof T> = Omit<T, Defaulted> & Required<Pick<T, Defaulted>>

/** What the vault receives for each `auth.type`: the options with every URL absolute and every default filled in. */
export type AuthConfig =
  | TokenAuthOptions
  | Normalized<CookieAuthOptions, 'csrfHeader'>
  | Normalized<OAuthAuthOptions, 'scope' | 'dpop' | 'persist'>
