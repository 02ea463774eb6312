import {
  CLEAR_REFRESH_COOKIE,
  refreshTokenFromCookie,
  requireSession,
  sendTokenResponse,
} from '../auth-http.mjs';
import { HttpError, bearerToken, isObject, mediaType, readBody, readJson, sendJson } from '../http-util.mjs';

const invalidGrant = () => new HttpError(401, 'invalid_grant', { 'Set-Cookie': CLEAR_REFRESH_COOKIE });

async function login({ req, res, state }) {
  const { counters, log, store, users } = state;
  const fail = (error, fields = {}) => {
    counters.loginFailed++;
    log.event('login_failed', null, fields);
    return error;
  };
  let body;
  try {
    body = await readJson(req);
  } catch (error) {
    throw error.status === 400 ? fail(error) : error;
  }
  const { username, password } = isObject(body) ? body : {};
  const user =
    typeof username === 'string' && typeof password === 'string' && username.length <= 200 && password.length <= 1024
      ? await users.verify(username, password)
      : null;
  if (!user) throw fail(new HttpError(401, 'invalid_grant'), users.get(username) ? { user: username } : {});
  const session = store.createSession({ user: user.username, userAgent: req.headers['user-agent'] });
  counters.login++;
  log.event('login', session);
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
  const token = form.get('refresh_token') || refreshTokenFromCookie(req);
  if (!token) throw invalidGrant();
  const result = store.spendRefreshToken(token);
  if (result.error === 'reuse') counters.refreshReuse++;
  if (result.error) throw invalidGrant();
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
  sendJson(
    res,
    200,
    { ok: true },
    { 'Set-Cookie': CLEAR_REFRESH_COOKIE, 'Clear-Site-Data': '"cache", "cookies", "storage"' },
  );
}

function keepalive({ req, res, state }) {
  state.counters.keepalive++;
  req.resume();
  const { session } = requireSession(req, state);
  state.store.touch(session);
  sendJson(res, 200, { idleExpiresAt: session.idleExpiresAt, absoluteExpiresAt: session.absoluteExpiresAt });
}

/**
 * Token-mode endpoints: login, refresh (rotation + reuse detection), logout, keepalive.
 * @param {ReturnType<import('../router.mjs').createRouter>} router
 */
export function addAuthRoutes(router) {
  router.add('POST', '/auth/login', login);
  router.add('POST', '/auth/refresh', refresh);
  router.add('POST', '/auth/logout', logout);
  router.add('POST', '/auth/keepalive', keepalive);
}
