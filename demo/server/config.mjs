/** Thrown for an environment variable that does not parse. */
export class ConfigError extends Error {}

/** @typedef {Record<string, string | undefined>} Env */

/** Default port of the reference server. */
const DEFAULT_PORT = 8787
const MAX_PORT = 65_535

/**
 * @param {Env} env
 * @param {string} name
 * @param {number} fallback
 */
function port(env, name, fallback) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = /^\d{1,5}$/.test(raw.trim()) ? Number(raw) : NaN
  if (!(value >= 0 && value <= MAX_PORT))
    throw new ConfigError(`${name} must be a port number 0-65535, got ${JSON.stringify(raw)}`)
  return value
}

/**
 * @param {Env} env
 * @param {string} name
 */
function seconds(env, name) {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const value = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) ? Number(raw) : NaN
  if (!(value > 0))
    throw new ConfigError(`${name} must be a positive number of seconds (decimals allowed), got ${JSON.stringify(raw)}`)
  return value
}

/**
 * @param {Env} env
 * @param {string} name
 */
function flag(env, name) {
  const raw = (env[name] ?? '').trim().toLowerCase()
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  throw new ConfigError(`${name} must be 1 or 0, got ${JSON.stringify(env[name])}`)
}

/**
 * Server options from environment variables: HOST, PORT, ACCESS_TOKEN_TTL,
 * IDLE_TIMEOUT, ABSOLUTE_TIMEOUT, REFRESH_TOKEN_TTL (seconds), TRUSTED_ORIGINS
 * (origins besides the server's own in the worker script's connect-src), REDIS_URL (keep the
 * sessions in Redis instead of in memory), SESSION_VAULT_TEST,
 * TEST_SECOND_PORT (default PORT+1 in test mode), QUIET (test mode only).
 * @param {Record<string, string | undefined>} env
 * @returns {import('./app.d.mts').StartServerOptions} options for `startServer`
 * @throws {ConfigError} when a value does not parse
 */
export function optionsFromEnv(env) {
  const host = (env.HOST ?? '').trim() || '127.0.0.1'
  const mainPort = port(env, 'PORT', DEFAULT_PORT)
  const test = flag(env, 'SESSION_VAULT_TEST')
  /** @type {import('./app.d.mts').StartServerOptions} */
  const options = { host, port: mainPort, test }
  for (const [name, key] of /** @type {const} */ ([
    ['ACCESS_TOKEN_TTL', 'accessTokenTtl'],
    ['IDLE_TIMEOUT', 'idleTimeout'],
    ['ABSOLUTE_TIMEOUT', 'absoluteTimeout'],
    ['REFRESH_TOKEN_TTL', 'refreshTokenTtl'],
  ])) {
    const value = seconds(env, name)
    if (value !== undefined) options[key] = value
  }
  const trusted = (env.TRUSTED_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean)
  for (const origin of trusted) {
    let ok = false
    try {
      ok = new URL(origin).origin === origin
    } catch {}
    if (!ok)
      throw new ConfigError(
        `TRUSTED_ORIGINS must be origins (scheme://host[:port]) separated by spaces or commas, got ${JSON.stringify(origin)}`,
      )
  }
  if (trusted.length > 0) options.trustedOrigins = trusted
  const redisUrl = (env.REDIS_URL ?? '').trim()
  if (redisUrl !== '') {
    if (!/^rediss?:\/\/\S+$/.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL')
    options.redisUrl = redisUrl
  }
  if (test) {
    options.secondPort = port(env, 'TEST_SECOND_PORT', mainPort === 0 ? 0 : mainPort + 1)
    if (options.secondPort > MAX_PORT)
      throw new ConfigError(`TEST_SECOND_PORT defaults to PORT+1, which is not a port; set it`)
    options.quiet = flag(env, 'QUIET')
  }
  return options
}
