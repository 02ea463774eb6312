import { randomBytes } from 'node:crypto'
import { applyLimits } from '../http/server.mjs'
import { STEP_UP_MAX_AGE } from '../reference/app.mjs'
import { standardConnectSrc } from '../reference/routes/static.mjs'
import { countCall, countEvent, createCounters, observedLog, resetCounters } from './counters.mjs'
import { noStoreTestRoutes, requestCounters, simulatedOutage } from './middleware.mjs'
import { withAnyPortOfOwnHost, withBadConfigs } from './page-decorators.mjs'
import { createTokenRecorder, observedServer } from './recorder.mjs'
import { recordingStore } from './recording-store.mjs'
import { addTestSupportRoutes, LIFETIME_NAMES } from './routes.mjs'
import { addSdkTestSupportRoutes } from './sdk-routes.mjs'
import { createSecondOriginServer } from './second-origin.mjs'
import { createServerClock } from './server-clock.mjs'

/** Random bytes in the Redis key prefix of each reset's store. */
const PREFIX_RANDOM_BYTES = 6

/**
 * Test mode's instrumentation of the reference server, added from outside
 * through its decorators (`reference/app.mjs`); none of it exists outside
 * test mode, so the reference server never keeps a plaintext token:
 * - the lifecycle log is observed for `/test/events` and the counters;
 * - the session servers' answers are shown to a recorder that keeps the
 *   plaintext of the secrets they carry (`/test/tokens`);
 * - the session store is wrapped by one that remembers session ids and
 *   access-token hashes (`/test/expire-access`, `/test/revoke-all`), and on
 *   Redis every reset gets a fresh key prefix;
 * - signed-in /classic/ pages honour `?config=bad-json|bad-options`, and the
 *   worker CSP lets the vault reach any port of the server's own host;
 * - the session servers' clock can be set off the real one (`/test/clock`:
 *   clock skew), with their relative deadline fields left out;
 * - middleware simulates an outage, counts requests, keeps /test/*
 *   answers out of caches, and dates every answer on the server's clock;
 * - the /test/* routes, the /e2e/* fixture files and the second origin.
 * Use: `decorators` go to `createReferenceApp`, then `install(app)`.
 * @param {{ root: string }} opts root: the repository root (e2e fixture files)
 */
export function createTestSupport({ root }) {
  const counters = createCounters()
  /** @type {Record<string, unknown>[]} */
  const events = []
  const recorder = createTokenRecorder()
  /** @type {ReturnType<typeof recordingStore> | null} */
  let current = null
  /** @type {import('../reference/app.mjs').ReferenceApp | null} */
  let app = null
  /** @type {import('../reference/app.mjs').Lifetimes | null} */
  let initialLifetimes = null
  const outage = { on: false }
  /** @type {{ method?: string, path?: string, hasAuthorization: boolean, hasDpop: boolean, origin: string | null }[]} */
  const secondOriginLog = []
  const connectSrc = withAnyPortOfOwnHost(standardConnectSrc)
  const clock = createServerClock()

  /** @type {import('../reference/app.mjs').Decorators} */
  const decorators = {
    log: log =>
      observedLog(log, {
        onEvent(entry, source) {
          events.push(entry)
          countEvent(counters, entry, source)
        },
        onNote(event) {
          if (event === 'csp_report') counters.cspReports++
        },
      }),
    store(inner) {
      current = recordingStore(inner)
      return current.store
    },
    sessionServers: ({ token, cookie }) => ({
      token: observedServer(clock.server(token), async (response, request) => {
        await recorder.record(response)
        countCall(counters, new URL(request.url).pathname, response.status)
      }),
      cookie: observedServer(clock.server(cookie), response => recorder.record(response)),
    }),
    clock: () => clock.now,
    redisPrefix: prefix => `${prefix}test:${randomBytes(PREFIX_RANDOM_BYTES).toString('hex')}:`,
    classicSdkConfig: withBadConfigs,
    connectSrc: () => connectSrc,
  }

  const support = {
    root,
    decorators,
    counters,
    events,
    recorder,
    outage,
    secondOriginLog,
    connectSrc,
    middleware: [simulatedOutage(outage), noStoreTestRoutes, requestCounters(counters), clock.middleware],

    /** The store of the current session machinery, as test-support wrapped it. */
    store() {
      if (!current) throw new Error('test support: no session store yet')
      return current
    },

    /**
     * Add the test routes to the app's router, and remember the app for `reset`.
     * @param {import('../reference/app.mjs').ReferenceApp} referenceApp
     */
    install(referenceApp) {
      app = referenceApp
      initialLifetimes = { ...referenceApp.state.settings }
      addTestSupportRoutes(referenceApp.router, support)
      referenceApp.router.add('POST', '/test/clock', clock.route)
      addSdkTestSupportRoutes(referenceApp.router)
    },

    /** The second origin: a server of its own that logs every request. */
    createSecondOrigin: () => applyLimits(createSecondOriginServer(secondOriginLog)),

    /**
     * Back to a clean start: a new, empty session store (no sessions, no
     * throttling state), no notes, counters, events or logs, demo passwords,
     * the real clock, lifetimes from `overrides` or the start-up values.
     * @param {Partial<import('../reference/app.mjs').Lifetimes>} [overrides] seconds
     * @returns {Promise<import('../reference/app.mjs').Lifetimes>} the settings now
     */
    async reset(overrides = {}) {
      if (!app || !initialLifetimes) throw new Error('test support: not installed')
      const { state } = app
      for (const name of LIFETIME_NAMES) state.settings[name] = overrides[name] ?? initialLifetimes[name]
      resetCounters(counters)
      const previous = state.auth
      state.auth = await app.openMachinery()
      await previous.close()
      events.length = 0
      state.notes.clear()
      state.stepUpMaxAge = STEP_UP_MAX_AGE
      recorder.clear()
      secondOriginLog.length = 0
      outage.on = false
      clock.reset()
      await state.users.reset()
      return { ...state.settings }
    },
  }
  return support
}

/** @typedef {ReturnType<typeof createTestSupport>} TestSupport */
