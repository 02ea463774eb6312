import { createSessionServer, memoryStore, redisStore } from '../../../dist/server/index.js'
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from './users.mjs'

/** Default brute-force limits of password checks (seconds for the durations). */
export const THROTTLE_DEFAULTS = Object.freeze({
  /** Wrong passwords per account before the backoff starts. */
  accountFreeFailures: 5,
  /** Wrong passwords per source address before the backoff starts (higher: addresses are shared). */
  clientFreeFailures: 20,
  /** First lockout, doubled at each further failure. */
  baseDelay: 1,
  /** Longest lockout. */
  maxDelay: 900,
  /** A key with no failure for this long starts again from zero. */
  forgetAfter: 900,
})

/** How long the start waits for Redis. */
const CONNECT_TIMEOUT_MS = 5000

const MS_PER_SECOND = 1000

/** Paths of the cookie-mode session server (the /classic/ site). */
const CLASSIC_PATHS = {
  login: '/classic/login',
  refresh: '/classic/refresh',
  logout: '/classic/logout',
  keepalive: '/classic/keepalive',
  status: '/classic/status',
  session: '/classic/session',
  sessions: '/classic/sessions',
  revokeOthers: '/classic/sessions/revoke-others',
  reauth: '/classic/reauth',
}

/**
 * The library's throttle options for the demo's limits. The demo counts
 * failures ("after 5 wrong passwords the next attempt waits"); the library
 * lets `freeAttempts` attempts through and locks with the one after, so the
 * fifth failure sets the first lockout when `freeAttempts` is one less.
 * @param {Partial<typeof THROTTLE_DEFAULTS>} limits
 */
function throttleOptions(limits) {
  const config = { ...THROTTLE_DEFAULTS, ...limits }
  /** @param {number} free */
  const policy = free => ({
    freeAttempts: Math.max(0, free - 1),
    baseDelayMs: config.baseDelay * MS_PER_SECOND,
    maxDelayMs: config.maxDelay * MS_PER_SECOND,
    windowMs: config.forgetAfter * MS_PER_SECOND,
  })
  return { account: policy(config.accountFreeFailures), client: policy(config.clientFreeFailures) }
}

/** Key prefix of the demo's sessions in Redis. */
export const REDIS_PREFIX = 'sv:demo:'

/** How often the in-memory store drops ended sessions, seconds. */
const MEMORY_SWEEP_INTERVAL = 1

/**
 * The session store: the library's in-memory store, or its Redis store (keys
 * under `prefix`) when `redisUrl` is set.
 * @param {{ redisUrl?: string | null, prefix: string, now: () => number }} opts now: the in-memory store's
 *   clock for its sweeps (the session servers' own; Redis is told the time with every call)
 * @returns {Promise<import('../../../dist/server/index.js').SessionStore>}
 */
async function openStore({ redisUrl, prefix, now }) {
  if (!redisUrl) return memoryStore({ sweepInterval: MEMORY_SWEEP_INTERVAL, now })
  const store = redisStore({ url: redisUrl, prefix })
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  // The client keeps reconnecting in the background: a Redis that never answers must not hang the start.
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS,
    )
  })
  try {
    await Promise.race([store.ready, timeout])
  } catch (error) {
    await store.close()
    throw new Error(`cannot reach Redis at ${redactUrl(redisUrl)}: ${error instanceof Error ? error.message : error}`)
  } finally {
    clearTimeout(timer)
  }
  return store
}

/**
 * A Redis URL without its password (for messages).
 * @param {string} url
 */
function redactUrl(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.href
  } catch {
    return 'the configured URL'
  }
}

/** @typedef {import('../../../dist/server/index.js').SessionStore} SessionStore */
/** @typedef {import('../../../dist/server/index.js').SessionServer} SessionServer */
/** @typedef {{ token: SessionServer, cookie: SessionServer }} SessionServers */

/**
 * The demo's session machinery, all of it `session-vault/server`: one store
 * shared by a token-mode server (`/auth/*`, the SPA and the SDK's token mode)
 * and a cookie-mode server (the /classic/ site's session cookie), so the
 * sessions list, remote sign-out and the password change see both kinds.
 * @param {{
 *   settings: { accessTokenTtl: number, idleTimeout: number, absoluteTimeout: number, refreshTokenTtl: number },
 *   users: import('./users.mjs').UserDirectory,
 *   log: import('./lifecycle-log.mjs').LifecycleLog,
 *   throttle?: Partial<typeof THROTTLE_DEFAULTS>,
 *   redisUrl?: string | null,
 *   redisPrefix?: string,
 *   decorateStore?: (store: SessionStore) => SessionStore,
 *   decorateServers?: (servers: SessionServers) => SessionServers,
 *   now?: () => number,
 * }} opts settings in seconds; decorateStore, decorateServers: wrappers put
 *   around the store and the two session servers (the reference server uses none);
 *   now: the servers' clock, epoch ms (every time they report, and their `Date` header)
 */
export async function openSessionMachinery({
  settings,
  users,
  log,
  throttle = {},
  redisUrl = null,
  redisPrefix = REDIS_PREFIX,
  decorateStore = store => store,
  decorateServers = servers => servers,
  now = Date.now,
}) {
  const base = await openStore({ redisUrl, prefix: redisPrefix, now })
  const store = decorateStore(base)

  /**
   * A login body's credentials. The credentials checked must still be the
   * current ones when the check ends (a password change while scrypt ran
   * makes them stale); logins that checked before a change and end after it
   * are refused by the store as well.
   * @param {Record<string, unknown>} body
   */
  async function verifyCredentials({ username, password }) {
    if (!(typeof username === 'string' && typeof password === 'string')) return null
    if (username.length > MAX_USERNAME_LENGTH || password.length > MAX_PASSWORD_LENGTH) return null
    const user = await users.verify(username, password)
    if (!user || users.version(user.username) !== user.version) return null
    return { id: user.username, claims: { name: user.name } }
  }

  const common = {
    store,
    verifyCredentials,
    accessTokenTtl: settings.accessTokenTtl,
    idleTimeout: settings.idleTimeout,
    absoluteTimeout: settings.absoluteTimeout,
    refreshTokenTtl: settings.refreshTokenTtl,
    throttle: throttleOptions(throttle),
    logSalt: log.salt,
    now,
  }
  const servers = decorateServers({
    token: createSessionServer({ ...common, mode: 'token', logger: entry => log.entry(entry, 'token') }),
    cookie: createSessionServer({
      ...common,
      mode: 'cookie',
      paths: CLASSIC_PATHS,
      logger: entry => log.entry(entry, 'cookie'),
    }),
  })
  return {
    store,
    token: servers.token,
    cookie: servers.cookie,
    close: () => base.close(),
  }
}

/** @typedef {Awaited<ReturnType<typeof openSessionMachinery>>} SessionMachinery */
