import { jsonScriptData, scriptData } from '../http/html.mjs'
import { ownOrigin } from '../http/http-util.mjs'
import { classicSdkConfig } from '../reference/classic-views.mjs'

/** Broken configurations for the SDK's error-path tests, by `?config=` name. */
const BAD_CONFIGS = /** @type {Record<string, string>} */ ({
  'bad-json': '{"auth": {"type": "cookie", "logoutUrl": "/classic/logout"},',
  'bad-options': JSON.stringify({
    auth: { type: 'cookie', logoutUrl: '/classic/logout' },
    idle: { timeout: 'soon', warnBefore: '1m' },
  }),
})

/**
 * `?config=localized&locale=he`: the standard configuration with a dialog in that language, an
 * idle message of the page's own (a `{remaining}` template, as JSON can carry) and the warning
 * 6 s ahead of the idle deadline.
 * @param {URL} url
 * @param {import('../reference/app.mjs').Lifetimes} settings
 */
function localizedConfig(url, settings) {
  const config = classicSdkConfig(settings)
  return jsonScriptData({
    ...config,
    idle: { ...config.idle, warnBefore: '6s' },
    dialog: { locale: url.searchParams.get('locale') ?? 'en', texts: { idleMessage: '{remaining} ⏳' } },
  })
}

/**
 * The signed-in /classic/ pages' SDK configuration, or with
 * `?config=bad-json|bad-options` a broken one (`?config=localized`: see {@link localizedConfig}).
 * @param {import('../reference/routes/classic.mjs').SdkConfigScript} standard
 * @returns {import('../reference/routes/classic.mjs').SdkConfigScript}
 */
export function withBadConfigs(standard) {
  return (url, settings) => {
    const name = url.searchParams.get('config')
    if (name === 'localized') return localizedConfig(url, settings)
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
