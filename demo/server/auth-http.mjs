import { HttpError, bearerToken, parseCookies, sendJson } from './http-util.mjs';
import { clientFields } from './request-guard.mjs';

/** Name of the HttpOnly cookie that carries the refresh token. */
export const REFRESH_COOKIE = '__Host-sv_rt';

/**
 * Set-Cookie value carrying a refresh token.
 * @param {string} token
 * @param {number} ttlSeconds
 */
export function refreshCookie(token, ttlSeconds) {
  return `${REFRESH_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${Math.max(1, Math.ceil(ttlSeconds))}`;
}

/**
 * Seconds a session's refresh cookie may live: the refresh token's lifetime,
 * never past the session's absolute deadline (the session's remaining
 * absolute lifetime with the default lifetimes).
 * @param {{ absoluteExpiresAt: number }} session
 * @param {{ refreshTokenTtl: number }} settings seconds
 * @param {number} [now]
 */
export function refreshCookieTtl(session, settings, now = Date.now()) {
  return Math.min(settings.refreshTokenTtl, (session.absoluteExpiresAt - now) / 1000);
}

/** Set-Cookie value that deletes the refresh cookie. */
export const CLEAR_REFRESH_COOKIE = `${REFRESH_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;

/**
 * The refresh token sent in the cookie, or null.
 * @param {import('node:http').IncomingMessage} req
 */
export function refreshTokenFromCookie(req) {
  return parseCookies(req).get(REFRESH_COOKIE) || null;
}

/**
 * Issue a new access token and refresh token for a session and answer 200 with
 * the RFC 6749 5.1 shape plus `session_id` (the session's public id, so the
 * vault can tell a refresh that answers for another session); the refresh
 * token goes only into the cookie, which lives no longer than the session.
 * @param {import('node:http').ServerResponse} res
 * @param {Awaited<ReturnType<import('./state.mjs').createState>>} state
 * @param {object} session
 */
export function sendTokenResponse(res, state, session) {
  const { store, settings } = state;
  const accessToken = store.issueAccessToken(session);
  const refreshToken = store.issueRefreshToken(session);
  sendJson(
    res,
    200,
    { access_token: accessToken, token_type: 'Bearer', expires_in: settings.accessTokenTtl, session_id: session.publicId },
    { 'Set-Cookie': refreshCookie(refreshToken, refreshCookieTtl(session, settings)) },
  );
}

/**
 * The live session of the request's bearer token; otherwise throws 401
 * `invalid_token` with `WWW-Authenticate: Bearer error="invalid_token"`.
 * Does not count as activity (see `store.touch`).
 * @param {import('node:http').IncomingMessage} req
 * @param {Awaited<ReturnType<import('./state.mjs').createState>>} state
 * @returns {{ session: object, accessToken: string }}
 */
export function requireSession(req, state) {
  const accessToken = bearerToken(req);
  const session = accessToken && state.store.authenticate(accessToken);
  if (!session) {
    // Logged with the session's salted id when the token is one of ours, never the token.
    const known = accessToken ? state.store.knownSession(accessToken, 'access') : null;
    const path = (req.url ?? '').split('?')[0].slice(0, 200);
    state.log.event('invalid_token', known, { presented: Boolean(accessToken), path, ...clientFields(req) });
    throw new HttpError(401, 'invalid_token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  }
  return { session, accessToken };
}

/**
 * Wrap a handler of an authenticated API: requires a live session (401
 * otherwise), counts the call as activity, and passes `session` and
 * `accessToken` on to the handler.
 * @param {(ctx: object) => unknown} handler
 */
export function withSession(handler) {
  return (ctx) => {
    const auth = requireSession(ctx.req, ctx.state);
    ctx.state.store.touch(auth.session);
    return handler({ ...ctx, ...auth });
  };
}
