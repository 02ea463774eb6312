/** Default brute-force limits (seconds for the durations). */
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

const MAX_KEYS = 10_000;

/**
 * Brute-force throttling of password checks, per account and per client
 * (source address), with exponential backoff: after `free` failures of a key
 * every further failure locks it for baseDelay * 2^(failures - free) seconds
 * (at most maxDelay). While a key is locked every attempt is refused without
 * checking the password, the right one included. An attempt in flight counts
 * against the limit until it resolves, so concurrent guesses cannot slip
 * through. A success resets its account key; client keys only decay (a
 * success on an attacker's own account must not reset the count).
 * @param {Partial<typeof THROTTLE_DEFAULTS>} [limits]
 * @param {() => number} [now]
 */
export function createThrottle(limits = {}, now = Date.now) {
  const config = { ...THROTTLE_DEFAULTS, ...limits };
  const entries = new Map();

  const freeOf = (key) => (key.startsWith('account:') ? config.accountFreeFailures : config.clientFreeFailures);

  function entry(key) {
    const t = now();
    let e = entries.get(key);
    if (e && e.pending === 0 && e.lockedUntil <= t && t - e.lastFailureAt >= config.forgetAfter * 1000) {
      entries.delete(key);
      e = undefined;
    }
    if (!e) {
      if (entries.size >= MAX_KEYS) {
        for (const [k, old] of entries) {
          if (old.pending === 0 && old.lockedUntil <= t) {
            entries.delete(k);
            break;
          }
        }
      }
      e = { failures: 0, pending: 0, lockedUntil: 0, lastFailureAt: 0 };
      entries.set(key, e);
    }
    return e;
  }

  return {
    config,

    /**
     * Reserve one password check for every key.
     * @param {string[]} keys e.g. ['account:alice', 'client:127.0.0.1']
     * @returns {{ retryAfter: number } | { fail(): number, succeed(): void, release(): void }}
     *   retryAfter (whole seconds, >= 1) when refused; otherwise settle the
     *   attempt exactly once: `fail()` (wrong password; returns the account's failure count),
     *   `succeed()`, or `release()` (no password was checked)
     */
    begin(keys) {
      const t = now();
      let waitMs = 0;
      const list = keys.map((key) => [key, entry(key)]);
      for (const [key, e] of list) {
        if (e.lockedUntil > t) waitMs = Math.max(waitMs, e.lockedUntil - t);
        else if (e.pending > 0 && e.failures + e.pending >= freeOf(key)) waitMs = Math.max(waitMs, 1000);
      }
      if (waitMs > 0) return { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
      for (const [, e] of list) e.pending++;
      let settled = false;
      const settle = (fn) => {
        if (settled) return;
        settled = true;
        for (const [key, e] of list) {
          e.pending = Math.max(0, e.pending - 1);
          fn(key, e);
        }
      };
      return {
        fail() {
          let count = 0;
          settle((key, e) => {
            const at = now();
            e.failures++;
            e.lastFailureAt = at;
            const over = e.failures - freeOf(key);
            if (over >= 0) e.lockedUntil = Math.max(e.lockedUntil, at + Math.min(config.maxDelay, config.baseDelay * 2 ** over) * 1000);
            if (key.startsWith('account:')) count = e.failures;
          });
          return count;
        },
        succeed() {
          settle((key, e) => {
            if (key.startsWith('account:')) Object.assign(e, { failures: 0, lockedUntil: 0, lastFailureAt: 0 });
          });
        },
        release() {
          settle(() => {});
        },
      };
    },

    /** Forget every key (test-mode reset). */
    clear() {
      entries.clear();
    },
  };
}
