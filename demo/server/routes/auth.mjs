import {
  CLEAR_REFRESH_COOKIE,
  refreshTokenFromCookie,
  requireSession,
  sendTokenResponse,
} from '../auth-http.mjs';
import { HttpError, bearerToken, isObject, mediaType, readBody, readJson, sendJson } from '../http-util.mjs';
import { clientFields, refusalReason } from '../request-guard.mjs';

const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

/**
 * 401 `invalid_grant`; the refresh cookie is expired only when the request
 * carried one (a request without it has nothing of ours to clear).
 */
const invalidGrant = (req) =>
  new HttpError(401, 'invalid_grant', refreshTokenFromCookie(req) ? { 'Set-Cookie': CLEAR_REFRESH_COOKIE } : {});

/**
 * Wrap a reserved (`/auth/*`) route: a request that is cross-site, comes
 * from another `Origin`, or lacks `Session-Vault: 1` gets 403 before anything
 * runs (no body read, no cookie cleared, no Clear-Site-Data), and is logged.
 * @param {(ctx: object) => unknown} handler
 */
function guarded(handler) {
  return (ctx) => {
    const { req, state, url } = ctx;
    const reason = refusalReason(req);
    if (!reason) return handler(ctx);
    req.resume();
    state.counters.guardRejected++;
    state.log.event('request_refused', null, { reason, path: url.pathname, ...clientFields(req) });
    throw new HttpError(403, reason === 'missing_header' ? 'session_vault_header_required' : 'cross_site_request');
  };
}

/** 429 with Retry-After, logged. */
export function throttled(state, req, retryAfter, fields = {}) {
  state.counters.throttled++;
  state.log.event('throttled', null, { retryAfter, ...fields, ...clientFields(req) });
  return new HttpError(429, 'too_many_requests', { 'Retry-After': String(retryAfter) });
}

async function login({ req, res, state }) {
  const { counters, log, store, throttle, users } = state;
  const fail = (error, fields = {}) => {
    counters.loginFailed++;
    log.event('login_failed', null, { ...fields, ...clientFields(req) });
    return error;
  };
  let body;
  try {
    body = await readJson(req);
  } catch (error) {
    throw error.status === 400 ? fail(error) : error;
  }
  const { username, password } = isObject(body) ? body : {};
  if (!(typeof username === 'string' && typeof password === 'string' && username.length <= 200 && password.length <= 1024)) {
    throw fail(new HttpError(401, 'invalid_grant'));
  }
  const known = users.get(username) ? { user: username } : {};
  const attempt = throttle.begin([`account:${username}`, `client:${clientFields(req).ip}`]);
  if ('retryAfter' in attempt) throw throttled(state, req, attempt.retryAfter, { endpoint: 'login', ...known });
  const user = await users.verify(username, password);
  // Synchronous from here to the session: the credentials checked must still
  // be the current ones (a password change while scrypt ran makes them stale).
  if (!user || users.version(user.username) !== user.version) {
    const failures = user ? 0 : attempt.fail();
    if (user) attempt.release();
    throw fail(new HttpError(401, 'invalid_grant'), { ...known, ...(failures && { failures }), ...(user && { stale: true }) });
  }
  attempt.succeed();
  // The browser comes back with a new sign-in: end the session its old
  // refresh cookie still names (as /classic/ login does), never adopt it.
  const previousToken = refreshTokenFromCookie(req);
  const previous = previousToken && store.sessionOfAnyToken(previousToken, 'refresh');
  if (previous && store.isLive(previous)) store.end(previous, 'revoked', { reason: 'relogin' });
  const session = store.createSession({ user: user.username, userAgent: req.headers['user-agent'] });
  counters.login++;
  log.event('login', session, clientFields(req));
  sendTokenResponse(res, state, session);
}

async function refresh({ req, res, state }) {
  const { counters, log, store } = state;
  const type = mediaType(req);
  if (type !== 'application/x-www-form-urlencoded' && type !== '') throw new HttpError(400, 'invalid_request');
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  const grantType = form.get('grant_type');
  if (!grantType) throw new HttpError(400, 'invalid_request');
  if (grantType !== 'refresh_token') throw new HttpError(400, 'unsupported_grant_type');
  // This server keeps refresh tokens only in its HttpOnly cookie: a
  // `refresh_token` in the body is never read (it could only be someone
  // else's, planted to swap the browser's session).
  const token = refreshTokenFromCookie(req);
  if (!token) {
    log.event('refresh_rejected', null, { reason: 'no_cookie', ...clientFields(req) });
    throw invalidGrant(req);
  }
  const result = store.spendRefreshToken(token, clientFields(req));
  if (result.error === 'reuse') counters.refreshReuse++;
  if (result.error) {
    if (result.error !== 'reuse') log.event('refresh_rejected', result.session ?? null, { reason: 'invalid', ...clientFields(req) });
    throw invalidGrant(req);
  }
  counters.refresh++;
  log.event('refresh', result.session);
  sendTokenResponse(res, state, result.session);
}

function findSessionToEnd(req, store) {
  const access = bearerToken(req);
  const fromAccess = access && store.sessionOfAnyToken(access, 'access');
  if (fromAccess) return fromAccess;
  const refreshToken = refreshTokenFromCookie(req);
  return refreshToken && store.sessionOfAnyToken(refreshToken, 'refresh');
}

function logout({ req, res, state }) {
  const { counters, store } = state;
  counters.logout++;
  req.resume();
  const session = findSessionToEnd(req, store);
  if (session && store.isLive(session)) store.end(session, 'logout');
  // Only a request that passed the guard gets here: Clear-Site-Data always,
  // the cookie's expiry when the request carried the cookie.
  const headers = { 'Clear-Site-Data': CLEAR_SITE_DATA };
  if (refreshTokenFromCookie(req)) headers['Set-Cookie'] = CLEAR_REFRESH_COOKIE;
  sendJson(res, 200, { ok: true }, headers);
}

function keepalive({ req, res, state }) {
  state.counters.keepalive++;
  req.resume();
  const { session } = requireSession(req, state);
  state.store.touch(session);
  sendJson(res, 200, { idleExpiresAt: session.idleExpiresAt, absoluteExpiresAt: session.absoluteExpiresAt });
}

/**
 * Token-mode endpoints: login, refresh (rotation + reuse detection), logout,
 * keepalive. Every one refuses cross-site requests and requests without the
 * vault's `Session-Vault: 1` header (see `refusalReason`).
 * @param {ReturnType<import('../router.mjs').createRouter>} router
 */
export function addAuthRoutes(router) {
  router.add('POST', '/auth/login', guarded(login));
  router.add('POST', '/auth/refresh', guarded(refresh));
  router.add('POST', '/auth/logout', guarded(logout));
  router.add('POST', '/auth/keepalive', guarded(keepalive));
}
