import { createLifecycleLog } from '../reference/lifecycle-log.mjs';
import { openSessionMachinery } from '../reference/session-machinery.mjs';
import { createUserDirectory } from '../reference/users.mjs';

const COUNTER_NAMES = [
  'login',
  'loginFailed',
  'refresh',
  'refreshReuse',
  'logout',
  'keepalive',
  'api',
  'cspReports',
  'classicLogin',
  'classicLoginFailed',
  'classicLogout',
  'classicKeepalive',
  'csrfRejected',
  'guardRejected',
  'throttled',
];

/** The lifetime settings, in seconds, that /test/reset may change. */
export const LIFETIME_NAMES = ['accessTokenTtl', 'idleTimeout', 'absoluteTimeout', 'refreshTokenTtl'];

/** Counters that follow from the session library's log entries: [event, server, counter]. */
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
];

/**
 * Everything the server holds: settings, users, the session machinery
 * (session-vault/server on memory or Redis), notes, counters, the lifecycle
 * log, and the test-support switches.
 * @param {{
 *   test: boolean,
 *   quiet: boolean,
 *   lifetimes: { accessTokenTtl: number, idleTimeout: number, absoluteTimeout: number, refreshTokenTtl: number },
 *   throttle?: Partial<typeof import('../reference/session-machinery.mjs').THROTTLE_DEFAULTS>,
 *   trustedOrigins?: string[],
 *   redisUrl?: string | null,
 *   testSupport?: { wrapStore(store: object): object, recorder: { record(response: Response): Promise<void>, clear(): void } } | null,
 * }} opts lifetimes in seconds; trustedOrigins: origins besides the server's
 *   own that the vault may connect to (the worker script's `connect-src`);
 *   testSupport: the test-mode instrumentation (see routes/test-support.mjs), null otherwise
 */
export async function createState({ test, quiet, lifetimes, throttle = {}, trustedOrigins = [], redisUrl = null, testSupport = null }) {
  const initialLifetimes = { ...lifetimes };
  const settings = { ...lifetimes };
  const counters = Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0]));
  const onEvent = (entry, source) => {
    for (const [event, server, counter] of EVENT_COUNTERS) {
      if (entry.event === event && (server === '*' || server === source)) counters[counter]++;
    }
  };
  const log = createLifecycleLog({ quiet, keepEvents: test, onEvent });
  const users = await createUserDirectory();
  const notes = new Map();
  const open = () =>
    openSessionMachinery({ settings, users, log, throttle, redisUrl, test, wrapStore: testSupport?.wrapStore });

  const state = {
    test,
    settings,
    log,
    users,
    auth: await open(),
    counters,
    notes,
    trustedOrigins: [...trustedOrigins],
    outage: false,
    secondOriginLog: [],
    testSupport,

    /** Test mode: let the test-support instrumentation see an answer that may carry new secrets. */
    async observe(response) {
      if (testSupport) await testSupport.recorder.record(response);
    },

    /**
     * Back to a clean start: a new, empty session store (no sessions, no
     * throttling state), no notes, counters, events or logs, demo passwords,
     * lifetimes from `overrides` or the start-up values.
     * @param {Partial<Record<string, number>>} [overrides] seconds
     */
    async reset(overrides = {}) {
      for (const name of LIFETIME_NAMES) settings[name] = overrides[name] ?? initialLifetimes[name];
      for (const name of COUNTER_NAMES) counters[name] = 0;
      const previous = state.auth;
      state.auth = await open();
      await previous.close();
      log.clear();
      notes.clear();
      testSupport?.recorder.clear();
      state.secondOriginLog.length = 0;
      state.outage = false;
      await users.reset();
    },

    close: () => state.auth.close(),
  };
  return state;
}
