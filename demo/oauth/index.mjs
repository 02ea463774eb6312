import { randomBytes } from 'node:crypto'
import { startProvider } from './provider.mjs'
import { startResourceServer } from './resource-server.mjs'

/**
 * Starts the demo authorization server (oidc-provider) and the resource
 * server that checks its tokens. See index.d.mts for the options.
 * @param {import('./index.d.mts').StartOAuthOptions} opts
 * @returns {Promise<import('./index.d.mts').RunningOAuth>}
 */
export async function startOAuth(opts) {
  const {
    host = '127.0.0.1',
    port = 0,
    resourcePort = 0,
    appOrigin,
    clientId = 'session-vault-spa',
    redirectUris = [`${appOrigin}/`],
    postLogoutRedirectUris = [`${appOrigin}/`],
    accessTokenTtl = 60,
    refreshTokenTtl = 3600,
    requireDpopNonce = true,
    resourceServerNonce = false,
    stepUpMaxAge = 300,
  } = opts
  if (typeof appOrigin !== 'string' || new URL(appOrigin).origin !== appOrigin)
    throw new TypeError('appOrigin must be an origin')
  const settings = { accessTokenTtl, refreshTokenTtl, requireDpopNonce, resourceServerNonce, stepUpMaxAge }
  const resourceServer = { clientId: 'demo-resource-server', clientSecret: randomBytes(32).toString('base64url') }
  const provider = await startProvider({
    host,
    port,
    appOrigin,
    clientId,
    redirectUris,
    postLogoutRedirectUris,
    resourceServer,
    settings,
  })
  const rs = await startResourceServer({
    host,
    port: resourcePort,
    appOrigin,
    introspectionEndpoint: `${provider.issuer}/token/introspection`,
    clientId: resourceServer.clientId,
    clientSecret: resourceServer.clientSecret,
    settings,
  }).catch(async error => {
    await provider.close()
    throw error
  })

  async function introspect(token) {
    const response = await fetch(`${provider.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${resourceServer.clientId}:${resourceServer.clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    })
    return response.json()
  }

  return {
    issuer: provider.issuer,
    clientId,
    resourceUrl: rs.url,
    settings,
    issued: provider.issued,
    errors: provider.errors,
    resourceLog: rs.log,
    expireSeen: rs.expireSeen,
    introspect,
    async close() {
      await Promise.all([rs.close(), provider.close()])
    },
  }
}
