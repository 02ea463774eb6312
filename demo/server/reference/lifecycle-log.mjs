import { createHash, randomBytes } from 'node:crypto'

/** @typedef {ReturnType<typeof createLifecycleLog>} LifecycleLog */

/**
 * Session lifecycle log: one JSON line per event on stdout. The session
 * library's entries (login, refresh, reuse_detected, logout, revoked,
 * rejections...) come in through its `logger` hook; the demo adds its own
 * (password changes, login-form CSRF refusals, CSP reports). Lines carry
 * salted hashes of session and user ids (salt random per process, shared
 * with the library), never a token, id, password or cookie value.
 * @param {{ quiet?: boolean, write?: (line: string) => void }} [opts] write: where lines go (default stdout)
 */
export function createLifecycleLog({ quiet = false, write } = {}) {
  const salt = randomBytes(16).toString('hex')
  const out = write ?? (line => process.stdout.write(`${line}\n`))

  /** @param {Record<string, unknown>} entry */
  function emit(entry) {
    if (!quiet) out(JSON.stringify(entry))
    return entry
  }

  /**
   * First 16 hex of sha256(salt + id): what the log says instead of an id.
   * @param {string} id
   */
  function sid(id) {
    return createHash('sha256')
      .update(salt + id)
      .digest('hex')
      .slice(0, 16)
  }

  return {
    /** The salt of the hashes (given to the session library, so its lines and these agree). */
    salt,
    sid,
    /**
     * An entry of the session library's `logger` hook.
     * @param {Record<string, unknown>} entry
     * @param {'token' | 'cookie'} server which session server logged it
     */
    entry(entry, server) {
      return emit(server === 'cookie' && entry.mode === undefined ? { ...entry, mode: 'cookie' } : entry)
    },
    /**
     * Log a lifecycle event of the demo's own.
     * @param {string} event
     * @param {{ sessionId: string, userId: string, mode?: string } | null} session
     * @param {Record<string, unknown>} [extra]
     */
    event(event, session, extra = {}) {
      /** @type {Record<string, unknown>} */
      const entry = { t: new Date().toISOString(), event }
      if (session) Object.assign(entry, { sid: sid(session.sessionId), uid: sid(session.userId) })
      if (session?.mode === 'cookie') entry.mode = 'cookie'
      return emit(Object.assign(entry, extra))
    },
    /**
     * Log a line that is not a lifecycle event (CSP reports).
     * @param {string} event
     * @param {Record<string, unknown>} fields
     */
    note(event, fields) {
      if (!quiet) out(JSON.stringify({ t: new Date().toISOString(), event, ...fields }))
    },
  }
}
