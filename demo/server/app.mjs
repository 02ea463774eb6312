import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { applyLimits, closeServer, createRequestHandler, listen, originOf } from './http/server.mjs'
import { createReferenceApp } from './reference/app.mjs'
import { createTestSupport } from './test-support/index.mjs'

export { DEMO_USERS } from './reference/users.mjs'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Defaults of the lifetimes, seconds. */
const DEFAULT_LIFETIMES = Object.freeze({
  accessTokenTtl: 300,
  idleTimeout: 900,
  absoluteTimeout: 28_800,
  refreshTokenTtl: 86_400,
})

/** Default port of the reference server. */
const DEFAULT_PORT = 8787

/** @param {unknown} value */
function isOrigin(value) {
  try {
    return typeof value === 'string' && new URL(value).origin === value
  } catch {
    return false
  }
}

/**
 * Start the reference server (and, in test mode, the second origin). The
 * reference application (`reference/`) is the part to read and copy; in test
 * mode, and only then, `test-support/` decorates it with its instrumentation
 * and adds the /test/* routes.
 * Lifetimes are in seconds (decimals allowed).
 * @param {import('./app.d.mts').StartServerOptions} [opts] port 0 = ephemeral; secondPort (test mode) defaults to ephemeral; quiet silences
 *   the lifecycle log (honoured only in test mode); root = repository root for static files;
 *   throttle = brute-force limits (see THROTTLE_DEFAULTS in reference/session-machinery.mjs); trustedOrigins =
 *   origins besides the server's own in the worker script's `connect-src`; redisUrl = keep the
 *   sessions in Redis (session-vault/server's redisStore) instead of in memory
 * @returns {Promise<import('./app.d.mts').RunningServer>}
 */
export async function startServer(opts = {}) {
  const {
    host = '127.0.0.1',
    port = DEFAULT_PORT,
    test = false,
    secondPort = 0,
    quiet = false,
    accessTokenTtl = DEFAULT_LIFETIMES.accessTokenTtl,
    idleTimeout = DEFAULT_LIFETIMES.idleTimeout,
    absoluteTimeout = DEFAULT_LIFETIMES.absoluteTimeout,
    refreshTokenTtl = DEFAULT_LIFETIMES.refreshTokenTtl,
    root = REPO_ROOT,
    throttle = {},
    trustedOrigins = [],
    redisUrl = null,
  } = opts
  if (redisUrl !== null && !/^rediss?:\/\//.test(String(redisUrl))) {
    throw new TypeError('redisUrl: not a redis:// or rediss:// URL')
  }
  for (const origin of trustedOrigins) {
    if (!isOrigin(origin)) throw new TypeError(`trustedOrigins: not an origin: ${JSON.stringify(origin)}`)
  }
  const support = test ? createTestSupport({ root }) : null
  const app = await createReferenceApp(
    {
      root,
      lifetimes: { accessTokenTtl, idleTimeout, absoluteTimeout, refreshTokenTtl },
      quiet: test && quiet,
      throttle,
      trustedOrigins,
      redisUrl,
    },
    support?.decorators,
  )
  support?.install(app)
  const handler = createRequestHandler({
    router: app.router,
    context: { state: app.state },
    noStore: app.noStore,
    middleware: support?.middleware ?? [],
  })
  const servers = [applyLimits(createServer(handler))]
  if (support) servers.push(support.createSecondOrigin())

  /** @type {number[]} */
  const ports = []
  try {
    ports.push(await listen(servers[0], port, host))
    if (support) ports.push(await listen(servers[1], secondPort, host))
  } catch (error) {
    await Promise.all(servers.filter(s => s.listening).map(closeServer))
    await app.close()
    throw error
  }

  /** @type {Promise<void> | undefined} */
  let closing
  return {
    url: `${originOf(host, ports[0])}/`,
    ...(support && { secondUrl: `${originOf(host, ports[1])}/` }),
    close() {
      closing ??= (async () => {
        await Promise.all(servers.map(closeServer))
        await app.close()
      })()
      return closing
    },
  }
}
