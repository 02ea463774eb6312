import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt);

/** The demo accounts, with their initial passwords (named in the README and the tests). */
export const DEMO_USERS = Object.freeze([
  Object.freeze({ username: 'alice', password: 'correct horse', name: 'Alice Liddell' }),
  Object.freeze({ username: 'bob', password: 'battery staple', name: 'Bob Tables' }),
]);

async function derive(password, salt) {
  return scryptAsync(password.normalize('NFC'), salt, 32);
}

async function record(user, password) {
  const salt = randomBytes(16);
  return { username: user.username, name: user.name, salt, hash: await derive(password, salt) };
}

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
 *   prepare(username: string, password: string): Promise<object | null>,
 *   commit(username: string, prepared: object, expectedVersion: number): boolean,
 *   setPassword(username: string, password: string): Promise<void>,
 *   reset(): Promise<void>,
 * }>}
 */
export async function createUserDirectory() {
  const users = new Map();
  const dummy = await record({ username: '', name: '' }, randomBytes(16).toString('hex'));
  // One counter for every record ever installed: a version is never reused,
  // not even across a reset, so nothing verified before a reset stays current.
  let versions = 0;

  async function reset() {
    const fresh = [];
    for (const u of DEMO_USERS) fresh.push(await record(u, u.password));
    users.clear();
    for (const u of fresh) users.set(u.username, { ...u, version: ++versions });
  }
  await reset();

  return {
    get(username) {
      const u = users.get(username);
      return u && { username: u.username, name: u.name };
    },
    async verify(username, password) {
      const u = users.get(username) ?? dummy;
      const version = u.version;
      const derived = await derive(password, u.salt);
      const ok = derived.length === u.hash.length && timingSafeEqual(derived, u.hash);
      return ok && u !== dummy ? { username: u.username, name: u.name, version } : null;
    },
    /** The current credential version of a user (undefined for an unknown one). Synchronous. */
    version(username) {
      return users.get(username)?.version;
    },
    /** Hash a new password for `username` without installing it (see `commit`). */
    async prepare(username, password) {
      const u = users.get(username);
      return u ? record(u, password) : null;
    },
    /**
     * Install a prepared password, synchronously, if the user's credential
     * version is still `expectedVersion`; the version goes up.
     * @returns {boolean} false when the credentials changed since (nothing installed)
     */
    commit(username, prepared, expectedVersion) {
      const u = users.get(username);
      if (!u || !prepared || u.version !== expectedVersion) return false;
      users.set(username, { ...prepared, version: ++versions });
      return true;
    },
    async setPassword(username, password) {
      const u = users.get(username);
      const prepared = u && (await record(u, password));
      const current = users.get(username);
      if (current && prepared) users.set(username, { ...prepared, version: ++versions });
    },
    reset,
  };
}
