import { randomBytes } from 'node:crypto';
import { createSessionServer, memoryStore, redisStore } from '../../../dist/server/index.js';

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
});

const CONNECT_TIMEOUT_MS = 5000;

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
};

/**
 * The library's throttle options for the demo's limits. The demo counts
 * failures ("after 5 wrong passwords the next attempt waits"); the library
 * lets `freeAttempts` attempts through and locks with the one after, so the
 * fifth failure sets the first lockout when `freeAttempts` is one less.
 * @param {Partial<typeof THROTTLE_DEFAULTS>} limits
 */
function throttleOptions(limits) {
  const config = { ...THROTTLE_DEFAULTS, ...limits };
  const policy = (free) => ({
    freeAttempts: Math.max(0, free - 1),
    baseDelayMs: config.baseDelay * 1000,
    maxDelayMs: config.maxDelay * 1000,
    windowMs: config.forgetAfter * 1000,
  });
  return { account: policy(config.accountFreeFailures), client: policy(config.clientFreeFailures) };
}

/**
 * The session store: the library's in-memory store, or its Redis store when
 * `redisUrl` is set. In test mode every reset gets a store of its own (a
 * fresh key prefix on Redis), so a reset starts from nothing.
 * @param {{ redisUrl?: string | null, test: boolean }} opts
 */
async function openStore({ redisUrl, test }) {
  if (!redisUrl) return memoryStore({ sweepInterval: 1 });
  const prefix = test ? `sv:demo:test:${randomBytes(6).toString('hex')}:` : 'sv:demo:';
  const store = redisStore({ url: redisUrl, prefix });
  let timer;
  // The client keeps reconnecting in the background: a Redis that never answers must not hang the start.
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([store.ready, timeout]);
  } catch (error) {
    await store.close();
    throw new Error(`cannot reach Redis at ${redactUrl(redisUrl)}: ${error?.message ?? error}`);
  } finally {
    clearTimeout(timer);
  }
  return store;
}

/** A Redis URL without its password (for messages). */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the configured URL';
  }
}

/**
 * The demo's session machinery, all of it `session-vault/server`: one store
 * shared by a token-mode server (`/auth/*`, the SPA and the SDK's token mode)
 * and a cookie-mode server (the /classic/ site's session cookie), so the
 * sessions list, remote sign-out and the password change see both kinds.
 * @param {{
 *   settings: { accessTokenTtl: number, idleTimeout: number, absoluteTimeout: number, refreshTokenTtl: number },
 *   users: Awaited<ReturnType<typeof import('./users.mjs').createUserDirectory>>,
 *   log: ReturnType<typeof import('./lifecycle-log.mjs').createLifecycleLog>,
 *   throttle?: Partial<typeof THROTTLE_DEFAULTS>,
 *   redisUrl?: string | null,
 *   test: boolean,
 *   wrapStore?: (store: object) => object,
 * }} opts wrapStore: the test-support store decorator (test mode only)
 */
export async function openSessionMachinery({ settings, users, log, throttle = {}, redisUrl = null, test, wrapStore }) {
  const base = await openStore({ redisUrl, test });
  const store = wrapStore ? wrapStore(base) : base;

  /**
   * A login body's credentials. The credentials checked must still be the
   * current ones when the check ends (a password change while scrypt ran
   * makes them stale); logins that checked before a change and end after it
   * are refused by the store as well.
   */
  async function verifyCredentials({ username, password }) {
    if (!(typeof username === 'string' && typeof password === 'string' && username.length <= 200 && password.length <= 1024)) return null;
    const user = await users.verify(username, password);
    if (!user || users.version(user.username) !== user.version) return null;
    return { id: user.username, claims: { name: user.name } };
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
  };
  const token = createSessionServer({ ...common, mode: 'token', logger: (entry) => log.entry(entry, 'token') });
  const cookie = createSessionServer({ ...common, mode: 'cookie', paths: CLASSIC_PATHS, logger: (entry) => log.entry(entry, 'cookie') });
  return {
    store,
    token,
    cookie,
    /** Whether the store is on Redis. */
    redis: Boolean(redisUrl),
    close: () => base.close(),
  };
}
