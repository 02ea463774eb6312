import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { mediaType, parseCookies, readBody } from '../http/http-util.mjs'

/** Name of the /classic/ session cookie (says nothing about the stack); set by session-vault/server. */
export const SESSION_COOKIE = '__Host-sv_s'

/** Name of the short-lived cookie that binds the login form's CSRF token. */
export const PRE_COOKIE = '__Host-sv_pre'

/** Header that carries the CSRF token of programmatic requests (the library's default). */
export const CSRF_HEADER = 'x-csrf-token'

/** How long a login form's CSRF cookie is good, and after how long a login page gets a new one, seconds. */
const LOGIN_CSRF_TTL = 900
const LOGIN_CSRF_RENEW_AFTER = 300

/** Bytes of the HMAC key and of the cookie's random part. */
const KEY_BYTES = 32

const COOKIE_ATTRIBUTES = 'Path=/; HttpOnly; Secure; SameSite=Lax'
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Set-Cookie value that deletes the session cookie. */
export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`

/** Set-Cookie value that deletes the login-CSRF cookie. */
export const CLEAR_PRE_COOKIE = `${PRE_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`

/**
 * Whether a request method changes state (and so needs a CSRF token).
 * @param {string} method
 */
export function isUnsafeMethod(method) {
  return UNSAFE_METHODS.has(method)
}

/**
 * Constant-time equality of two strings (false when lengths differ).
 * @param {string} a
 * @param {string} b
 */
function safeEqual(a, b) {
  const x = Buffer.from(String(a))
  const y = Buffer.from(String(b))
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Read a form body (application/x-www-form-urlencoded, up to 16 KiB). Any
 * other body is drained and reads as an empty form.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<URLSearchParams>}
 */
export async function readForm(req) {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    req.resume()
    return new URLSearchParams()
  }
  return new URLSearchParams((await readBody(req)).toString('utf8'))
}

/**
 * The CSRF token a request presents: the `X-CSRF-Token` header, else the
 * form field `csrf` (when a form is given); null when there is none.
 * @param {import('node:http').IncomingMessage} req
 * @param {URLSearchParams | null} [form]
 * @returns {string | null}
 */
export function presentedCsrf(req, form = null) {
  const header = req.headers[CSRF_HEADER]
  if (typeof header === 'string' && header !== '') return header
  return form?.get('csrf') || null
}

/**
 * Login CSRF tokens (signed double submit): the `__Host-sv_pre` cookie holds
 * `<issued-at, base36 ms>.<random>`, the form holds HMAC-SHA256(key, cookie),
 * with a key random per server. A token is good only with the cookie it was
 * made for, and only for `ttlSeconds` after the cookie was issued.
 * @param {{ ttlSeconds?: number, renewAfterSeconds?: number, now?: () => number }} [opts]
 *   renewAfterSeconds: a login page shown later than this after the cookie was
 *   issued gets a new cookie (so a form is always good for ttl - renewAfter)
 */
export function createLoginCsrf({
  ttlSeconds = LOGIN_CSRF_TTL,
  renewAfterSeconds = LOGIN_CSRF_RENEW_AFTER,
  now = Date.now,
} = {}) {
  const key = randomBytes(KEY_BYTES)
  const ttlMs = ttlSeconds * 1000
  /** @param {string} value */
  const sign = value => createHmac('sha256', key).update(value).digest('base64url')

  /**
   * Milliseconds since the cookie was issued, or null when it is not one of ours.
   * @param {string | undefined} value
   */
  function age(value) {
    const match = /^([0-9a-z]{1,11})\.[A-Za-z0-9_-]{43}$/.exec(value ?? '')
    if (!match?.[1]) return null
    const elapsed = now() - parseInt(match[1], 36)
    return elapsed >= 0 && elapsed < ttlMs ? elapsed : null
  }

  return {
    /**
     * The token for a login form shown to this request, and the Set-Cookie
     * value to send with it (null when the request's cookie is still fresh).
     * @param {import('node:http').IncomingMessage} req
     * @returns {{ token: string, setCookie: string | null }}
     */
    issue(req) {
      const current = parseCookies(req).get(PRE_COOKIE)
      const elapsed = age(current)
      if (current !== undefined && elapsed !== null && elapsed < renewAfterSeconds * 1000) {
        return { token: sign(current), setCookie: null }
      }
      const value = `${now().toString(36)}.${randomBytes(KEY_BYTES).toString('base64url')}`
      return { token: sign(value), setCookie: `${PRE_COOKIE}=${value}; ${COOKIE_ATTRIBUTES}; Max-Age=${ttlSeconds}` }
    },

    /**
     * Whether `candidate` is the token of the request's (unexpired) login-CSRF cookie.
     * @param {import('node:http').IncomingMessage} req
     * @param {string | null} candidate
     */
    verify(req, candidate) {
      const current = parseCookies(req).get(PRE_COOKIE)
      if (typeof candidate !== 'string' || current === undefined || age(current) === null) return false
      return safeEqual(candidate, sign(current))
    },
  }
}
