import { createHmac, randomBytes } from 'node:crypto';
import { mediaType, parseCookies, readBody } from './http-util.mjs';
import { randomToken, safeEqual } from './tokens.mjs';

/** Name of the /classic/ session cookie (says nothing about the stack). */
export const SESSION_COOKIE = '__Host-sv_s';

/** Name of the short-lived cookie that binds the login form's CSRF token. */
export const PRE_COOKIE = '__Host-sv_pre';

/** Header that carries the CSRF token of programmatic requests. */
export const CSRF_HEADER = 'x-csrf-token';

const COOKIE_ATTRIBUTES = 'Path=/; HttpOnly; Secure; SameSite=Lax';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Set-Cookie value carrying a session id; a browser-session cookie (no
 * Max-Age): the server's idle and absolute timeouts decide how long it works.
 * @param {string} id
 */
export function sessionCookie(id) {
  return `${SESSION_COOKIE}=${id}; ${COOKIE_ATTRIBUTES}`;
}

/** Set-Cookie value that deletes the session cookie. */
export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;

/** Set-Cookie value that deletes the login-CSRF cookie. */
export const CLEAR_PRE_COOKIE = `${PRE_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;

/**
 * The live cookie-mode session of a request. `stale` is true when a session
 * cookie came with the request but names no live session (unknown, planted,
 * ended or expired); answer it with `CLEAR_SESSION_COOKIE`. Not activity.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ store: ReturnType<import('./store.mjs').createStore> }} state
 * @returns {{ session: object | null, stale: boolean }}
 */
export function classicSession(req, { store }) {
  const value = parseCookies(req).get(SESSION_COOKIE);
  if (!value) return { session: null, stale: false };
  const session = store.authenticateCookie(value);
  return session?.mode === 'cookie' ? { session, stale: false } : { session: null, stale: true };
}

/** Whether a request method changes state (and so needs a CSRF token). */
export function isUnsafeMethod(method) {
  return UNSAFE_METHODS.has(method);
}

/**
 * Read a form body (application/x-www-form-urlencoded, up to 16 KiB). Any
 * other body is drained and reads as an empty form.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<URLSearchParams>}
 */
export async function readForm(req) {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    req.resume();
    return new URLSearchParams();
  }
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

/**
 * The CSRF token a request presents: the `X-CSRF-Token` header, else the
 * form field `csrf` (when a form is given); null when there is none.
 * @param {import('node:http').IncomingMessage} req
 * @param {URLSearchParams | null} [form]
 * @returns {string | null}
 */
export function presentedCsrf(req, form = null) {
  const header = req.headers[CSRF_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  return form?.get('csrf') || null;
}

/**
 * Whether `candidate` is the session's CSRF token (constant-time compare).
 * @param {{ csrfToken: string | null }} session
 * @param {string | null} candidate
 */
export function csrfMatches(session, candidate) {
  return typeof candidate === 'string' && typeof session.csrfToken === 'string' && safeEqual(candidate, session.csrfToken);
}

/**
 * Whether the browser says the request came from another origin (Fetch
 * Metadata). Requests without `Sec-Fetch-Site` (non-browser clients) are not.
 * @param {import('node:http').IncomingMessage} req
 */
export function isCrossOriginRequest(req) {
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin';
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
export function createLoginCsrf({ ttlSeconds = 900, renewAfterSeconds = 300, now = Date.now } = {}) {
  const key = randomBytes(32);
  const ttlMs = ttlSeconds * 1000;
  const sign = (value) => createHmac('sha256', key).update(value).digest('base64url');

  /** Milliseconds since the cookie was issued, or null when it is not one of ours. */
  function age(value) {
    const match = /^([0-9a-z]{1,11})\.[A-Za-z0-9_-]{43}$/.exec(value ?? '');
    if (!match) return null;
    const elapsed = now() - parseInt(match[1], 36);
    return elapsed >= 0 && elapsed < ttlMs ? elapsed : null;
  }

  return {
    /**
     * The token for a login form shown to this request, and the Set-Cookie
     * value to send with it (null when the request's cookie is still fresh).
     * @param {import('node:http').IncomingMessage} req
     * @returns {{ token: string, setCookie: string | null }}
     */
    issue(req) {
      const current = parseCookies(req).get(PRE_COOKIE);
      const elapsed = age(current);
      if (elapsed !== null && elapsed < renewAfterSeconds * 1000) return { token: sign(current), setCookie: null };
      const value = `${now().toString(36)}.${randomToken()}`;
      return { token: sign(value), setCookie: `${PRE_COOKIE}=${value}; ${COOKIE_ATTRIBUTES}; Max-Age=${ttlSeconds}` };
    },

    /**
     * Whether `candidate` is the token of the request's (unexpired) login-CSRF cookie.
     * @param {import('node:http').IncomingMessage} req
     * @param {string | null} candidate
     */
    verify(req, candidate) {
      const current = parseCookies(req).get(PRE_COOKIE);
      if (typeof candidate !== 'string' || age(current) === null) return false;
      return safeEqual(candidate, sign(current));
    },
  };
}
