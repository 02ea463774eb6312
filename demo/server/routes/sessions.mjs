import { refreshCookie, refreshCookieTtl, withSession } from '../auth-http.mjs';
import { HttpError, charCount, isObject, readJson, sendJson } from '../http-util.mjs';
import { clientFields } from '../request-guard.mjs';
import { throttled } from './auth.mjs';

function view(session, current) {
  const { handle, createdAt, lastSeenAt, userAgent, mode } = session;
  return { handle, createdAt, lastSeenAt, userAgent, mode, current: session === current };
}

function list({ res, state, session }) {
  sendJson(res, 200, { sessions: state.store.sessionsOf(session.user).map((s) => view(s, session)) });
}

function endOne({ res, state, session, params }) {
  const target = state.store.byHandle(params.handle);
  if (!target || target.user !== session.user) throw new HttpError(404, 'not_found');
  state.store.end(target, 'revoked', { reason: target === session ? 'self' : 'user' });
  sendJson(res, 200, { ok: true });
}

function endOthers(state, session, reason) {
  const others = state.store.sessionsOf(session.user).filter((s) => s !== session);
  for (const other of others) state.store.end(other, 'revoked', { reason });
  return others.length;
}

function revokeOthers({ req, res, state, session }) {
  req.resume();
  sendJson(res, 200, { ok: true, revoked: endOthers(state, session, 'user') });
}

const invalidToken = () => new HttpError(401, 'invalid_token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

/**
 * Change the password: `currentPassword` is checked (throttled like a login),
 * the new hash computed, and then, in one synchronous step after the last
 * await, the session is checked again (a session revoked meanwhile cannot
 * complete the change), the credentials must still be the ones checked (a
 * concurrent change wins once), and the swap, the end of every other session
 * and the renewal of this one happen together. Logins that checked the old
 * password before the swap never become sessions after it (see `users.verify`).
 */
async function changePassword({ req, res, state, session }) {
  const { store, users, log, settings, throttle } = state;
  const body = await readJson(req);
  const { currentPassword, newPassword } = isObject(body) ? body : {};
  if (typeof currentPassword !== 'string' || typeof newPassword !== 'string') throw new HttpError(400, 'invalid_request');
  if (charCount(newPassword) < 8 || charCount(newPassword) > 200) throw new HttpError(400, 'invalid_request');
  if (currentPassword.length > 1024) throw new HttpError(400, 'invalid_request');
  const attempt = throttle.begin([`account:${session.user}`, `client:${clientFields(req).ip}`]);
  if ('retryAfter' in attempt) throw throttled(state, req, attempt.retryAfter, { endpoint: 'password', user: session.user });
  let checked;
  let prepared;
  try {
    checked = await users.verify(session.user, currentPassword);
    if (!checked) {
      const failures = attempt.fail();
      log.event('password_change_failed', session, { reason: 'wrong_password', failures, ...clientFields(req) });
      throw new HttpError(403, 'wrong_password');
    }
    attempt.succeed();
    prepared = await users.prepare(session.user, newPassword);
  } finally {
    attempt.release();
  }
  // No await from here on.
  if (!store.isLive(session)) {
    log.event('password_change_failed', session, { reason: 'session_ended', ...clientFields(req) });
    throw invalidToken();
  }
  if (!users.commit(session.user, prepared, checked.version)) {
    log.event('password_change_failed', session, { reason: 'conflict', ...clientFields(req) });
    throw new HttpError(409, 'conflict');
  }
  endOthers(state, session, 'password_changed');
  store.end(session, null);
  const renewed = store.createSession({
    user: session.user,
    userAgent: session.userAgent,
    createdAt: session.createdAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
    publicId: session.publicId,
  });
  log.event('password_changed', renewed, { previousSid: log.sid(session.id) });
  const refreshToken = store.issueRefreshToken(renewed);
  sendJson(res, 200, { ok: true }, { 'Set-Cookie': refreshCookie(refreshToken, refreshCookieTtl(renewed, settings)) });
}

/**
 * Active sessions (list, end one, end all others) and password change, which
 * ends every other session and renews the current one under a new id.
 * @param {ReturnType<import('../router.mjs').createRouter>} router
 */
export function addSessionRoutes(router) {
  router.add('GET', '/api/sessions', withSession(list));
  router.add('POST', '/api/sessions/revoke-others', withSession(revokeOthers));
  router.add('DELETE', '/api/sessions/:handle', withSession(endOne));
  router.add('POST', '/api/password', withSession(changePassword));
}
