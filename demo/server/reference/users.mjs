import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt)

/** Longest username a login may send (a longer one fails without a password check). */
export const MAX_USERNAME_LENGTH = 200

/** Longest password a login or a password check may send. */
export const MAX_PASSWORD_LENGTH = 1024

/** The demo accounts, with their initial passwords (named in the README and the tests). */
export const DEMO_USERS = Object.freeze([
  Object.freeze({ username: 'alice', password: 'correct horse', name: 'Alice Liddell' }),
  Object.freeze({ username: 'bob', password: 'battery staple', name: 'Bob Tables' }),
])

/** Bytes of a password hash and of its salt. */
const HASH_BYTES = 32
const SALT_BYTES = 16

/**
 * @typedef {{ username: string, name: string, salt: Buffer, hash: Buffer }} PasswordRecord
 * @typedef {PasswordRecord & { version: number }} UserRecord
 */

/**
 * @param {string} password
 * @param {Buffer} salt
 * @returns {Promise<Buffer>}
 */
async function derive(password, salt) {
  return /** @type {Promise<Buffer>} */ (scryptAsync(password.normalize('NFC'), salt, HASH_BYTES))
}

/**
 * @param {{ username: string, name: string }} user
 * @param {string} password
 * @returns {Promise<PasswordRecord>}
 */
async function record(user, password) {
  const salt = randomBytes(SALT_BYTES)
  return { username: user.username, name: user.name, salt, hash: await derive(password, salt) }
}

/** @typedef {Awaited<ReturnType<typeof createUserDirectory>>} UserDirectory */

/**
 * In-memory user directory holding scrypt password hashes of the demo users.
 *
 * Every record carries a credential version that goes up with each password
 * change. `verify()` reports the version it checked against (read before its
 * scrypt await); callers compare it with `version()` synchronously, right
 * before they create a session, so a login that was checked against a
 * password replaced in the meantime never becomes a session.
 * @returns {Promise<{
 *   get(username: string): { username: string, name: string } | undefined,
 *   verify(username: string, password: string): Promise<{ username: string, name: string, version: number } | null>,
 *   version(username: string): number | undefined,
 *   prepare(username: string, password: string): Promise<PasswordRecord | null>,
 *   commit(username: string, prepared: PasswordRecord | null, expectedVersion: number): boolean,
 *   reset(): Promise<void>,
 * }>}
 */
export async function createUserDirectory() {
  /** @type {Map<string, UserRecord>} */
  const users = new Map()
  // Unknown users are checked against this record, so they take as long as known ones.
  const dummy = { ...(await record({ username: '', name: '' }, randomBytes(SALT_BYTES).toString('hex'))), version: 0 }
  // One counter for every record ever installed: a version is never reused,
  // not even across a reset, so nothing verified before a reset stays current.
  let versions = 0

  async function reset() {
    const fresh = []
    for (const u of DEMO_USERS) fresh.push(await record(u, u.password))
    users.clear()
    for (const u of fresh) users.set(u.username, { ...u, version: ++versions })
  }
  await reset()

  return {
    /** @param {string} username */
    get(username) {
      const u = users.get(username)
      return u && { username: u.username, name: u.name }
    },
    /**
     * @param {string} username
     * @param {string} password
     */
    async verify(username, password) {
      const u = users.get(username) ?? dummy
      const version = u.version
      const derived = await derive(password, u.salt)
      const ok = derived.length === u.hash.length && timingSafeEqual(derived, u.hash)
      return ok && u !== dummy ? { username: u.username, name: u.name, version } : null
    },
    /**
     * The current credential version of a user (undefined for an unknown one). Synchronous.
     * @param {string} username
     */
    version(username) {
      return users.get(username)?.version
    },
    /**
     * Hash a new password for `username` without installing it (see `commit`).
     * @param {string} username
     * @param {string} password
     */
    async prepare(username, password) {
      const u = users.get(username)
      return u ? record(u, password) : null
    },
    /**
     * Install a prepared password, synchronously, if the user's credential
     * version is still `expectedVersion`; the version goes up.
     * @param {string} username
     * @param {PasswordRecord | null} prepared
     * @param {number} expectedVersion
     * @returns {boolean} false when the credentials changed since (nothing installed)
     */
    commit(username, prepared, expectedVersion) {
      const u = users.get(username)
      if (!u || !prepared || u.version !== expectedVersion) return false
      users.set(username, { ...prepared, version: ++versions })
      return true
    },
    reset,
  }
}
