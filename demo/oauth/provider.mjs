import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import Provider from 'oidc-provider'

/**
 * An `oidc-provider` (certified OpenID Connect server) configured the way
 * docs/oauth.md tells a real provider to be for session-vault: a public
 * client with PKCE, opaque short-lived access tokens, refresh token
 * rotation, revocation, introspection (for the resource server), DPoP with
 * server nonces, RP-initiated logout and CORS for the SPA origin only.
 * Development login pages (any login and password are accepted).
 */

/** Lifetimes of the provider's own records, seconds: authorization codes, login interactions, sessions and grants. */
const AUTHORIZATION_CODE_TTL = 60
const INTERACTION_TTL = 600
const SESSION_TTL = 3600

/**
 * Authentication context classes (OIDC `acr`) the provider names, for
 * `acr_values` step-up requests: oidc-provider drops `acr` from its tokens
 * unless `acrValues` lists some. Every login here is a password form
 * (devInteractions), so each gets `PASSWORD_ACR`; `urn:session-vault:mfa` is
 * advertised but never reached: an `acr_values` asking for it comes back with
 * the password class, and the SDK refuses that callback.
 */
const PASSWORD_ACR = 'urn:session-vault:pwd'
const ACR_VALUES = [PASSWORD_ACR, 'urn:session-vault:mfa']

/** Size of the ID token signing key. */
const RSA_BITS = 2048

/** Demo users: devInteractions accept any login; these get a name. */
/** @type {Record<string, string>} */
const NAMES = { alice: 'Alice Example', bob: 'Bob Example' }

/**
 * @param {import('./index.d.mts').StartProviderOptions} opts
 */
export async function startProvider(opts) {
  const {
    host = '127.0.0.1',
    port = 0,
    appOrigin,
    clientId = 'session-vault-spa',
    redirectUris,
    postLogoutRedirectUris = [],
    resourceServer,
    settings,
  } = opts
  const server = createServer()
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const issuer = `http://${host}:${address.port}`

  /** Every token endpoint answer (tests look for these strings in the page) and every token endpoint error. */
  /** @type {import('./index.d.mts').IssuedTokens[]} */
  const issued = []
  /** @type {import('./index.d.mts').RunningProvider['errors']} */
  const errors = []

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: RSA_BITS })
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'demo-rs256', use: 'sig', alg: 'RS256' }

  // Read at each issue: the tests change the lifetimes between runs.
  const accessTokenTtl = () => settings.accessTokenTtl
  const refreshTokenTtl = () => settings.refreshTokenTtl

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_name: 'session-vault demo SPA',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
        scope: 'openid offline_access profile email',
      },
      {
        // The resource server: may introspect, nothing else.
        client_id: resourceServer.clientId,
        client_secret: resourceServer.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    // Profile claims in the ID token too (the vault exposes them as session.info.claims).
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, name: NAMES[sub] ?? sub, email: `${sub}@example.test`, email_verified: true }
        },
      }
    },
    pkce: { required: () => true },
    acrValues: ACR_VALUES,
    // The sign-in's time and class in every access token's introspection (auth_time, acr), taken from
    // the code or refresh token it was issued for: the resource server's step-up check reads them.
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken') return undefined
      const source = ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.AuthorizationCode
      if (typeof source?.authTime !== 'number') return undefined
      return { auth_time: source.authTime, ...(source.acr && { acr: source.acr }) }
    },
    // The SPA may call the token and revocation endpoints from its origin, nobody else.
    clientBasedCORS: (_ctx, origin, client) => origin === appOrigin && client.clientId === clientId,
    features: {
      devInteractions: { enabled: true },
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: () => settings.requireDpopNonce,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client) => client.clientId === resourceServer.clientId,
      },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: { enabled: false },
    },
    // Rotate every refresh token, DPoP-bound ones included (oidc-provider's
    // default keeps sender-constrained ones); a spent one used again revokes the grant.
    rotateRefreshToken: true,
    // Refresh tokens for the SPA without `offline_access` (which oidc-provider only honours with
    // prompt=consent); they still end with the provider session (expiresWithSession default).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: AUTHORIZATION_CODE_TTL,
      IdToken: accessTokenTtl,
      RefreshToken: refreshTokenTtl,
      Interaction: INTERACTION_TTL,
      Session: SESSION_TTL,
      Grant: SESSION_TTL,
    },
    // First-party SPA: consent is implied (no consent page), every requested scope is granted.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      if (ctx.oidc.client.clientId !== clientId) return undefined
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session.accountId })
      grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid')
      await grant.save()
      return grant
    },
    async renderError(ctx, out) {
      ctx.type = 'html'
      /** @param {unknown} v */
      const safe = v => String(v).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
      ctx.body = `<!doctype html><title>error</title><h1>${safe(out.error)}</h1><p>${safe(out.error_description ?? '')}</p>`
    },
  })
  provider.proxy = false

  // devInteractions finish a login with { login: { accountId } }: record how the user signed in (a password).
  const interactionResult = provider.interactionResult.bind(provider)
  provider.interactionResult = (req, res, result, options) =>
    interactionResult(
      req,
      res,
      result?.login ? { ...result, login: { acr: PASSWORD_ACR, ...result.login } } : result,
      options,
    )

  // Record the token endpoint's answers (test support: the needles of the token hunt).
  provider.use(async (ctx, next) => {
    await next()
    if (ctx.path === '/token' && ctx.method === 'POST') {
      const body = /** @type {Record<string, unknown> | null | undefined} */ (ctx.body)
      if (ctx.status === 200 && body && typeof body === 'object' && typeof body.access_token === 'string') {
        issued.push({ ...body, access_token: body.access_token, token_type: String(body.token_type), at: Date.now() })
      } else if (body && typeof body === 'object' && typeof body.error === 'string') {
        const description = typeof body.error_description === 'string' ? body.error_description : undefined
        errors.push({ error: body.error, ...(description !== undefined && { description }), at: Date.now() })
      }
    }
  })
  provider.on('server_error', (_ctx, error) => {
    process.stderr.write(`oidc-provider server_error: ${error instanceof Error ? error.stack : error}\n`)
  })

  server.on('request', provider.callback())

  return {
    issuer,
    provider,
    issued,
    errors,
    async close() {
      server.closeAllConnections?.()
      await new Promise(resolve => server.close(() => resolve(undefined)))
    },
  }
}
