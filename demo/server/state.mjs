import { createLifecycleLog } from './lifecycle-log.mjs';
import { createStore } from './store.mjs';
import { createThrottle } from './throttle.mjs';
import { createUserDirectory } from './users.mjs';

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

/**
 * Everything the server holds in memory: settings, users, sessions and tokens,
 * notes, counters, the lifecycle log, the brute-force throttle, and the
 * test-support switches.
 * @param {{
 *   test: boolean,
 *   quiet: boolean,
 *   lifetimes: { accessTokenTtl: number, idleTimeout: number, absoluteTimeout: number, refreshTokenTtl: number },
 *   throttle?: Partial<typeof import('./throttle.mjs').THROTTLE_DEFAULTS>,
 *   trustedOrigins?: string[],
 * }} opts lifetimes in seconds; trustedOrigins: origins besides the server's
 *   own that the vault may connect to (the worker script's `connect-src`)
 */
export async function createState({ test, quiet, lifetimes, throttle: limits = {}, trustedOrigins = [] }) {
  const initialLifetimes = { ...lifetimes };
  const settings = { ...lifetimes };
  const log = createLifecycleLog({ quiet, keepEvents: test });
  const users = await createUserDirectory();
  const store = createStore({ lifetimes: settings, log, keepPlaintext: test });
  const counters = Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0]));
  const notes = new Map();
  const throttle = createThrottle(limits);

  const state = {
    test,
    settings,
    log,
    users,
    store,
    counters,
    notes,
    throttle,
    trustedOrigins: [...trustedOrigins],
    outage: false,
    secondOriginLog: [],

    /**
     * Back to a clean start: no sessions, notes, counters, events, logs or
     * throttling state, demo passwords, lifetimes from `overrides` or the start-up values.
     * @param {Partial<Record<string, number>>} [overrides] seconds
     */
    async reset(overrides = {}) {
      for (const name of LIFETIME_NAMES) settings[name] = overrides[name] ?? initialLifetimes[name];
      for (const name of COUNTER_NAMES) counters[name] = 0;
      store.clear();
      log.clear();
      notes.clear();
      throttle.clear();
      state.secondOriginLog.length = 0;
      state.outage = false;
      await users.reset();
    },
  };
  return state;
}
