import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh opaque secret or id: 32 CSPRNG bytes (256 bits), base64url, 43 characters. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** A public id: 16 CSPRNG bytes (128 bits), base64url, 22 characters. */
export function randomId(): string {
  return randomBytes(16).toString('base64url')
}

/** SHA-256 of a secret, hex: the only form in which a store keeps tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Constant-time string equality (false when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  if (x.length !== y.length) {
    timingSafeEqual(x, x)
    return false
  }
  return timingSafeEqual(x, y)
}

/**
 * The CSRF token of a cookie-mode session: HMAC-SHA256 keyed with the session
 * cookie value. Never stored; whoever holds it cannot recover the cookie.
 */
export function csrfTokenFor(cookieValue: string): string {
  return createHmac('sha256', cookieValue).update('session-vault csrf v1').digest('base64url')
}

/** First 16 hex digits of sha256(salt + value): what logs carry instead of ids. */
export function saltedHash(salt: string, value: string): string {
  return createHash('sha256')
    .update(salt + value, 'utf8')
    .digest('hex')
    .slice(0, 16)
}

/** Secrets presented by clients: printable token characters, bounded length. */
export function isPlausibleSecret(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 16 && value.length <= 512 && /^[A-Za-z0-9\-._~+/]+=*$/.test(value)
}
