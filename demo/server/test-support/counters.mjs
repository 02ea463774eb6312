/** The counters of `/test/counters`, all zero after a reset. */
export const COUNTER_NAMES = /** @type {const} */ ([
  'login',
  'loginFailed',
  'refresh',
  'refreshReuse',
  'logout',
  'keepalive',
  'status',
  'api',
  'cspReports',
  'classicLogin',
  'classicLoginFailed',
  'classicLogout',
  'classicKeepalive',
  'csrfRejected',
  'guardRejected',
  'throttled',
])

/** @typedef {Record<(typeof COUNTER_NAMES)[number], number>} Counters */

/**
 * Counters that follow from lifecycle log entries: [event, source, counter];
 * source is the session server that logged it ('token', 'cookie'), 'demo' for
 * the demo's own events, '*' for any.
 * @type {ReadonlyArray<readonly [string, string, keyof Counters]>}
 */
const EVENT_COUNTERS = [
  ['login', 'token', 'login'],
  ['login', 'cookie', 'classicLogin'],
  ['login_failed', 'token', 'loginFailed'],
  ['login_refused', 'token', 'loginFailed'],
  ['login_failed', 'cookie', 'classicLoginFailed'],
  ['login_refused', 'cookie', 'classicLoginFailed'],
  ['refresh', 'token', 'refresh'],
  ['reuse_detected', 'token', 'refreshReuse'],
  ['request_rejected', '*', 'guardRejected'],
  ['login_throttled', '*', 'throttled'],
  ['check_throttled', '*', 'throttled'],
  ['csrf_rejected', '*', 'csrfRejected'],
]

/** Token-mode calls counted once they passed the guard (its refusals are 403s): path → counter. */
const CALL_COUNTERS = /** @type {Record<string, keyof Counters | undefined>} */ ({
  '/auth/logout': 'logout',
  '/auth/keepalive': 'keepalive',
  '/auth/status': 'status',
})

/** @returns {Counters} */
export function createCounters() {
  return /** @type {Counters} */ (Object.fromEntries(COUNTER_NAMES.map(name => [name, 0])))
}

/**
 * Set every counter back to zero.
 * @param {Counters} counters
 */
export function resetCounters(counters) {
  for (const name of COUNTER_NAMES) counters[name] = 0
}

/**
 * Count a lifecycle log entry.
 * @param {Counters} counters
 * @param {Record<string, unknown>} entry
 * @param {string} source
 */
export function countEvent(counters, entry, source) {
  for (const [event, server, counter] of EVENT_COUNTERS) {
    if (entry.event === event && (server === '*' || server === source)) counters[counter]++
  }
}

/**
 * Count an answer of the token-mode session server.
 * @param {Counters} counters
 * @param {string} path
 * @param {number} status
 */
export function countCall(counters, path, status) {
  const counter = CALL_COUNTERS[path]
  if (counter && status !== 403) counters[counter]++
}

/**
 * The lifecycle log, with every entry shown to `onEvent` (what the session
 * library's `logger` hook sent, source 'token' or 'cookie', and the demo's own
 * events, source 'demo') and every other line's event name to `onNote`.
 * @param {import('../reference/lifecycle-log.mjs').LifecycleLog} log
 * @param {{ onEvent: (entry: Record<string, unknown>, source: string) => void, onNote: (event: string) => void }} observers
 * @returns {import('../reference/lifecycle-log.mjs').LifecycleLog}
 */
export function observedLog(log, { onEvent, onNote }) {
  return {
    ...log,
    entry(entry, server) {
      const logged = log.entry(entry, server)
      onEvent(logged, server)
      return logged
    },
    event(event, session, extra) {
      const logged = log.event(event, session, extra)
      onEvent(logged, 'demo')
      return logged
    },
    note(event, fields) {
      onNote(event)
      log.note(event, fields)
    },
  }
}
