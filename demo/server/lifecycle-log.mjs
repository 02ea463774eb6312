import { createHash, randomBytes } from 'node:crypto';

/**
 * Session lifecycle log: one JSON line per event on stdout. Lines carry a salted
 * hash of the session id (salt random per process), never a token, id, password
 * or cookie value.
 * @param {{ quiet?: boolean, keepEvents?: boolean, write?: (line: string) => void }} [opts]
 *   keepEvents: remember events for /test/events (test mode).
 */
export function createLifecycleLog({ quiet = false, keepEvents = false, write } = {}) {
  const salt = randomBytes(16).toString('hex');
  const out = write ?? ((line) => process.stdout.write(line + '\n'));
  let kept = [];

  function emit(entry) {
    if (!quiet) out(JSON.stringify(entry));
  }

  return {
    /** First 16 hex of sha256(salt + sessionId). */
    sid(sessionId) {
      return createHash('sha256').update(salt + sessionId).digest('hex').slice(0, 16);
    },
    /**
     * Log a lifecycle event.
     * @param {string} event
     * @param {{ id: string, user: string, mode?: string } | null} session cookie-mode sessions add `mode: "cookie"`
     * @param {Record<string, unknown>} [extra]
     */
    event(event, session, extra = {}) {
      const entry = { t: new Date().toISOString(), event };
      if (session) Object.assign(entry, { sid: this.sid(session.id), user: session.user });
      if (session?.mode === 'cookie') entry.mode = 'cookie';
      Object.assign(entry, extra);
      if (keepEvents) kept.push(entry);
      emit(entry);
      return entry;
    },
    /** Log a line that is not a lifecycle event (CSP reports). */
    note(event, fields) {
      emit({ t: new Date().toISOString(), event, ...fields });
    },
    events() {
      return kept.slice();
    },
    clear() {
      kept = [];
    },
  };
}
