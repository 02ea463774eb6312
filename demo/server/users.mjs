import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { safeEqual } from './tokens.mjs';

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
 * @returns {Promise<{
 *   get(username: string): { username: string, name: string } | undefined,
 *   verify(username: string, password: string): Promise<{ username: string, name: string } | null>,
 *   setPassword(username: string, password: string): Promise<void>,
 *   reset(): Promise<void>,
 * }>}
 */
export async function createUserDirectory() {
  const users = new Map();
  const dummy = await record({ username: '', name: '' }, randomBytes(16).toString('hex'));

  async function reset() {
    users.clear();
    for (const u of DEMO_USERS) users.set(u.username, await record(u, u.password));
  }
  await reset();

  return {
    get(username) {
      const u = users.get(username);
      return u && { username: u.username, name: u.name };
    },
    async verify(username, password) {
      const u = users.get(username) ?? dummy;
      const ok = safeEqual(await derive(password, u.salt), u.hash);
      return ok && u !== dummy ? { username: u.username, name: u.name } : null;
    },
    async setPassword(username, password) {
      const u = users.get(username);
      if (u) users.set(username, await record(u, password));
    },
    reset,
  };
}
