import { scriptData } from '../http/html.mjs'
import { ownOrigin } from '../http/http-util.mjs'

/** Broken configurations for the SDK's error-path tests, by `?config=` name. */
const BAD_CONFIGS = /** @type {Record<string, string>} */ ({
  'bad-json': '{"auth": {"type": "cookie", "logoutUrl": "/classic/logout"},',
  'bad-options': JSON.stringify({
    auth: { type: 'cookie', logoutUrl: '/classic/logout' },
    idle: { timeout: 'soon', warnBefore: '1m' },
  }),
})

/**
 * The signed-in /classic/ pages' SDK configuration, or with
 * `?config=bad-json|bad-options` a broken one.
 * @param {import('../reference/routes/classic.mjs').SdkConfigScript} standard
 * @returns {import('../reference/routes/classic.mjs').SdkConfigScript}
 */
export function withBadConfigs(standard) {
  return (url, settings) => {
    const name = url.searchParams.get('config')
    const bad = name && Object.hasOwn(BAD_CONFIGS, name) ? BAD_CONFIGS[name] : undefined
    return bad === undefined ? standard(url, settings) : scriptData(bad)
  }
}

/**
 * Where the vault may connect, plus any port of the server's own host
 * (`http://127.0.0.1:*`): the OAuth specs run their provider and resource
 * server on free ports. Other hosts stay out, so the worker-CSP test reaches
 * the second origin as `http://localhost:<port>`.
 * @param {import('../reference/routes/static.mjs').ConnectSrc} standard
 * @returns {import('../reference/routes/static.mjs').ConnectSrc}
 */
export function withAnyPortOfOwnHost(standard) {
  return (req, state) => {
    const own = ownOrigin(req)
    const origins = standard(req, state)
    return own ? [...new Set([...origins, `${own.replace(/:\d+$/, '')}:*`])] : origins
  }
}
