import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A fresh opaque secret: 32 random bytes, base64url (43 characters).
 * Used for access tokens, refresh tokens, session ids and session handles.
 * @returns {string}
 */
export function randomToken() {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 of a token, hex. The store keeps and looks up only these.
 * @param {string} token
 * @returns {string}
 */
export function hashToken(token) {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two strings or buffers (false when lengths differ).
 * @param {string | Buffer} a
 * @param {string | Buffer} b
 * @returns {boolean}
 */
export function safeEqual(a, b) {
  const x = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
  const y = Buffer.isBuffer(b) ? b : Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}
