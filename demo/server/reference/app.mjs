import { createRouter } from '../http/router.mjs'
import { createLifecycleLog } from './lifecycle-log.mjs'
import { addApiRoutes } from './routes/api.mjs'
import { authRoute } from './routes/auth.mjs'
import { addClassicRoutes, standardSdkConfig } from './routes/classic.mjs'
import { addCspReportRoute } from './routes/csp-report.mjs'
import { addEventRoutes } from './routes/events.mjs'
import { addSessionRoutes } from './routes/sessions.mjs'
import { addStaticRoutes, standardConnectSrc } from './routes/static.mjs'
import { openSessionMachinery, REDIS_PREFIX } from './session-machinery.mjs'
import { createUserDirectory } from './users.mjs'

/** @typedef {{ accessTokenTtl: number, idleTimeout: number, absoluteTimeout: number, refreshTokenTtl: number }} Lifetimes seconds */

/**
 * Everything the routes share: the lifetimes, the lifecycle log, the users,
 * the notes, the trusted origins and the session machinery (session-vault/server
 * on memory or Redis).
 * @typedef {{
 *   settings: Lifetimes,
 *   log: import('./lifecycle-log.mjs').LifecycleLog,
 *   users: import('./users.mjs').UserDirectory,
 *   notes: import('./notes.mjs').Notes,
 *   trustedOrigins: string[],
 *   auth: import('./session-machinery.mjs').SessionMachinery,
 *   stepUpMaxAge: number,
 * }} ReferenceState
 */

/**
 * What a route handler gets.
 * @typedef {import('../http/router.mjs').RouteRequest & { state: ReferenceState }} RouteContext
 */

/**
 * Wrappers around parts of the reference server, each given the part and
 * returning what to use instead. The reference server itself uses none; test
 * mode passes test-support's (`test-support/index.mjs`).
 * @typedef {{
 *   log?: (log: import('./lifecycle-log.mjs').LifecycleLog) => import('./lifecycle-log.mjs').LifecycleLog,
 *   store?: (store: import('./session-machinery.mjs').SessionStore) => import('./session-machinery.mjs').SessionStore,
 *   sessionServers?: (servers: import('./session-machinery.mjs').SessionServers) => import('./session-machinery.mjs').SessionServers,
 *   redisPrefix?: (prefix: string) => string,
 *   classicSdkConfig?: (standard: import('./routes/classic.mjs').SdkConfigScript) => import('./routes/classic.mjs').SdkConfigScript,
 *   connectSrc?: (standard: import('./routes/static.mjs').ConnectSrc) => import('./routes/static.mjs').ConnectSrc,
 *   clock?: (standard: () => number) => () => number,
 * }} Decorators
 */

/**
 * @template T
 * @param {T} value
 */
const unchanged = value => value

/** Sensitive actions (deleting every note) need a sign-in at most this many seconds old (RFC 9470 step-up). */
export const STEP_UP_MAX_AGE = 300

/** Path prefixes whose answers are `Cache-Control: no-store`. */
const NO_STORE_PREFIXES = ['/api', '/auth', '/classic']

/**
 * The reference server's application: its state and its routes.
 * @param {{
 *   root: string,
 *   lifetimes: Lifetimes,
 *   quiet?: boolean,
 *   throttle?: Partial<typeof import('./session-machinery.mjs').THROTTLE_DEFAULTS>,
 *   trustedOrigins?: string[],
 *   redisUrl?: string | null,
 * }} options root: the repository root (static files); quiet: no lifecycle log lines;
 *   trustedOrigins: origins besides the server's own that the vault may connect to;
 *   redisUrl: keep the sessions in Redis instead of in memory
 * @param {Decorators} [decorators]
 */
export async function createReferenceApp(options, decorators = {}) {
  const { root, lifetimes, quiet = false, throttle = {}, trustedOrigins = [], redisUrl = null } = options
  const {
    log: decorateLog = unchanged,
    store: decorateStore = unchanged,
    sessionServers: decorateServers = unchanged,
    redisPrefix: decoratePrefix = unchanged,
    classicSdkConfig: decorateSdkConfig = unchanged,
    connectSrc: decorateConnectSrc = unchanged,
    clock: decorateClock = unchanged,
  } = decorators
  const settings = { ...lifetimes }
  const log = decorateLog(createLifecycleLog({ quiet }))
  const users = await createUserDirectory()
  // The session servers' clock (test mode sets it off the real one: clock skew).
  const now = decorateClock(Date.now)

  /** A new session store and session servers with the current `settings`. */
  const openMachinery = () =>
    openSessionMachinery({
      settings,
      users,
      log,
      throttle,
      redisUrl,
      redisPrefix: decoratePrefix(REDIS_PREFIX),
      decorateStore,
      decorateServers,
      now,
    })

  /** @type {ReferenceState} */
  const state = {
    settings,
    log,
    users,
    notes: new Map(),
    trustedOrigins: [...trustedOrigins],
    auth: await openMachinery(),
    stepUpMaxAge: STEP_UP_MAX_AGE,
  }

  /** @type {import('../http/router.mjs').Router<RouteContext>} */
  const router = createRouter()
  // Every /auth/* path goes to session-vault/server (token mode), which answers 404 for paths it does not own.
  router.add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/auth/*', authRoute)
  addApiRoutes(router)
  addEventRoutes(router)
  addSessionRoutes(router)
  addCspReportRoute(router)
  addClassicRoutes(router, { root, sdkConfig: decorateSdkConfig(standardSdkConfig) })
  addStaticRoutes(router, { root, connectSrc: decorateConnectSrc(standardConnectSrc) })

  return {
    state,
    router,
    noStore: NO_STORE_PREFIXES,
    openMachinery,
    close: () => state.auth.close(),
  }
}

/** @typedef {Awaited<ReturnType<typeof createReferenceApp>>} ReferenceApp */
