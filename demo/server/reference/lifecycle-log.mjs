import { createHash, randomBytes } from 'node:crypto';

/**
 * Session lifecycle log: one JSON line per event on stdout. The session
 * library's entries (login, refresh, reuse_detected, logout, revoked,
 * rejections...) come in through its `logger` hook; the demo adds its own
 * (password changes, login-form CSRF refusals, CSP reports). Lines carry
 * salted hashes of session and user ids (salt random per process, shared
 * with the library), never a token, id, password or cookie value.
 * @param {{ quiet?: boolean, keepEvents?: boolean, write?: (line: string) => void, onEvent?: (entry: object, source: string) => void }} [opts]
 *   keepEvents: remember events for /test/events (test mode); onEvent: sees every entry (the counters)
 */
export function createLifecycleLog({ quiet = false, keepEvents = false, write, onEvent } = {}) {
  const salt = randomBytes(16).toString('hex');
  const out = write ?? ((line) => process.stdout.write(line + '\n'));
  let kept = [];

  function emit(entry, source = 'demo') {
    if (keepEvents) kept.push(entry);
    onEvent?.(entry, source);
    if (!quiet) out(JSON.stringify(entry));
    return entry;
  }

  return {
    /** The salt of the hashes (given to the session library, so its lines and these agree). */
    salt,
    /** First 16 hex of sha256(salt + id): what the log says instead of an id. */
    sid(id) {
      return createHash('sha256').update(salt + id).digest('hex').slice(0, 16);
    },
    /**
     * An entry of the session library's `logger` hook.
     * @param {Record<string, unknown>} entry
     * @param {'token' | 'cookie'} server which session server logged it
     */
    entry(entry, server) {
      return emit(server === 'cookie' && entry.mode === undefined ? { ...entry, mode: 'cookie' } : entry, server);
    },
    /**
     * Log a lifecycle event of the demo's own.
     * @param {string} event
     * @param {{ sessionId: string, userId: string, mode?: string } | null} session
     * @param {Record<string, unknown>} [extra]
     */
    event(event, session, extra = {}) {
      const entry = { t: new Date().toISOString(), event };
      if (session) Object.assign(entry, { sid: this.sid(session.sessionId), uid: this.sid(session.userId) });
      if (session?.mode === 'cookie') entry.mode = 'cookie';
      return emit(Object.assign(entry, extra));
    },
    /** Log a line that is not a lifecycle event (CSP reports). */
    note(event, fields) {
      if (!quiet) out(JSON.stringify({ t: new Date().toISOString(), event, ...fields }));
    },
    events() {
      return kept.slice();
    },
    clear() {
      kept = [];
    },
  };
}
