import { applyNoStore } from '../http/security-headers.mjs'
import { isUnder } from '../http/server.mjs'

/** The cookie-mode wire endpoints besides /classic/api/*, which an outage takes down with /auth and /api. */
const CLASSIC_WIRE_PATHS = new Set(['/classic/session', '/classic/keepalive', '/classic/logout'])

/** Requests counted as they arrive: "METHOD path" → counter. */
const REQUEST_COUNTERS = /** @type {Record<string, keyof import('./counters.mjs').Counters | undefined>} */ ({
  'POST /classic/logout': 'classicLogout',
  'POST /classic/keepalive': 'classicKeepalive',
})

/**
 * Whether `/test/outage` takes a path down: /auth/*, /api/* and the
 * cookie-mode wire endpoints (`/classic/session`, `/classic/keepalive`,
 * `/classic/logout`, `/classic/api/*`).
 * @param {string} path
 */
function isOutagePath(path) {
  return (
    isUnder(path, '/api') || isUnder(path, '/auth') || CLASSIC_WIRE_PATHS.has(path) || path.startsWith('/classic/api/')
  )
}

/**
 * While the outage switch is on, the sockets of the session and API requests
 * are destroyed unanswered.
 * @param {{ on: boolean }} outage
 * @returns {import('../http/server.mjs').Middleware}
 */
export function simulatedOutage(outage) {
  return ({ req, path }) => {
    if (!(outage.on && isOutagePath(path))) return false
    req.socket.destroy()
    return true
  }
}

/**
 * Counts every request under /api (answered or not) and the /classic/ logout
 * and keepalive calls.
 * @param {import('./counters.mjs').Counters} counters
 * @returns {import('../http/server.mjs').Middleware}
 */
export function requestCounters(counters) {
  return ({ req, path }) => {
    if (isUnder(path, '/api')) counters.api++
    const counter = REQUEST_COUNTERS[`${req.method} ${path}`]
    if (counter) counters[counter]++
    return false
  }
}

/**
 * /test/* answers are never stored.
 * @type {import('../http/server.mjs').Middleware}
 */
export function noStoreTestRoutes({ res, path }) {
  if (isUnder(path, '/test')) applyNoStore(res)
  return false
}
