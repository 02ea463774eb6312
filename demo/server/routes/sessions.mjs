import { refreshCookie, withSession } from '../auth-http.mjs';
import { HttpError, charCount, isObject, readJson, sendJson } from '../http-util.mjs';

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

async function changePassword({ req, res, state, session }) {
  const { store, users, log, settings } = state;
  const body = await readJson(req);
  const { currentPassword, newPassword } = isObject(body) ? body : {};
  if (typeof currentPassword !== 'string' || typeof newPassword !== 'string') throw new HttpError(400, 'invalid_request');
  if (charCount(newPassword) < 8 || charCount(newPassword) > 200) throw new HttpError(400, 'invalid_request');
  if (!(await users.verify(session.user, currentPassword))) throw new HttpError(403, 'wrong_password');
  if (!store.isLive(session)) throw new HttpError(401, 'invalid_token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  await users.setPassword(session.user, newPassword);
  endOthers(state, session, 'password_changed');
  store.end(session, null);
  const renewed = store.createSession({
    user: session.user,
    userAgent: session.userAgent,
    createdAt: session.createdAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  });
  log.event('password_changed', renewed, { previousSid: log.sid(session.id) });
  const refreshToken = store.issueRefreshToken(renewed);
  sendJson(res, 200, { ok: true }, { 'Set-Cookie': refreshCookie(refreshToken, settings.refreshTokenTtl) });
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
