// Runs the demo authorization server and resource server on their own:
//   APP_ORIGIN=http://127.0.0.1:8787 node demo/oauth/main.mjs
// Environment: APP_ORIGIN (default http://127.0.0.1:8787), HOST (127.0.0.1),
// OAUTH_PORT (8798), RESOURCE_PORT (8799), REDIRECT_URI (APP_ORIGIN + '/'),
// POST_LOGOUT_REDIRECT_URI (APP_ORIGIN + '/'), ACCESS_TOKEN_TTL (60 s).
import { startOAuth } from './index.mjs'

const env = process.env
const appOrigin = env.APP_ORIGIN ?? 'http://127.0.0.1:8787'
/**
 * @param {string} name
 * @param {number} fallback
 */
const number = (name, fallback) => {
  const value = Number(env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} must be a non-negative integer\n`)
    process.exit(2)
  }
  return value
}

const running = await startOAuth({
  host: env.HOST ?? '127.0.0.1',
  port: number('OAUTH_PORT', 8798),
  resourcePort: number('RESOURCE_PORT', 8799),
  appOrigin,
  redirectUris: [env.REDIRECT_URI ?? `${appOrigin}/`],
  postLogoutRedirectUris: [env.POST_LOGOUT_REDIRECT_URI ?? `${appOrigin}/`],
  accessTokenTtl: number('ACCESS_TOKEN_TTL', 60),
})
process.stdout.write(
  `issuer ${running.issuer}\nclient_id ${running.clientId}\nresource server ${running.resourceUrl}/api/me\n`,
)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void running.close().then(() => process.exit(0)))
}
