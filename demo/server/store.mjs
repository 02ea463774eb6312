import { hashToken, randomToken } from './tokens.mjs';

const ms = (seconds) => Math.round(seconds * 1000);

/**
 * In-memory sessions and tokens. Tokens are kept only as SHA-256 hashes; each
 * session is one login and one refresh-token family (token mode) or one
 * session cookie (cookie mode, the /classic/ pages); ending a session
 * invalidates every token of it. Both modes share the idle and absolute timeouts.
 * @param {{
 *   lifetimes: { accessTokenTtl: number, idleTimeout: number, absoluteTimeout: number, refreshTokenTtl: number },
 *   log: ReturnType<import('./lifecycle-log.mjs').createLifecycleLog>,
 *   keepPlaintext?: boolean,
 *   now?: () => number,
 * }} opts lifetimes in seconds, read at each use (so a reset can change them);
 *   keepPlaintext: remember issued token strings for /test/tokens (test mode only).
 */
export function createStore({ lifetimes, log, keepPlaintext = false, now = Date.now }) {
  const sessions = new Map();
  const handles = new Map();
  const tokens = new Map();
  let issued = { accessToken: null, refreshToken: null, all: [] };

  function issue(session, kind, ttlSeconds) {
    const token = randomToken();
    const hash = hashToken(token);
    tokens.set(hash, { kind, sessionId: session.id, expiresAt: now() + ms(ttlSeconds), spent: false });
    session.tokens.add(hash);
    if (keepPlaintext) {
      if (kind === 'access') issued.accessToken = token;
      if (kind === 'refresh') issued.refreshToken = token;
      issued.all.push(token);
    }
    return token;
  }

  function lookup(token, kind) {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return null;
    const record = tokens.get(hashToken(token));
    if (!record || record.kind !== kind) return null;
    const session = sessions.get(record.sessionId);
    return session ? { record, session } : null;
  }

  function end(session, event, extra) {
    if (session.endedAt !== null) return false;
    session.endedAt = now();
    handles.delete(session.handle);
    if (event) log.event(event, session, extra);
    return true;
  }

  function isLive(session) {
    if (session.endedAt !== null) return false;
    const t = now();
    if (t >= session.absoluteExpiresAt) return !end(session, 'expired_absolute');
    if (t >= session.idleExpiresAt) return !end(session, 'expired_idle');
    return true;
  }

  return {
    /**
     * Start a session (a login). A new id and handle every time. A cookie-mode
     * session also gets its CSRF token (`csrfToken`, random, not derived from any id).
     * `publicId` is the session's non-secret public identifier (the `session_id`
     * of token answers): random, unrelated to the secret id and its hash; a
     * renewal (password change) passes the old one on, a login gets a new one.
     * @param {{ user: string, userAgent?: string, createdAt?: number, absoluteExpiresAt?: number, mode?: 'token' | 'cookie', publicId?: string }} init
     */
    createSession({ user, userAgent = '', createdAt, absoluteExpiresAt, mode = 'token', publicId }) {
      const t = now();
      const session = {
        id: randomToken(),
        publicId: publicId ?? randomToken(),
        handle: randomToken(),
        mode,
        csrfToken: mode === 'cookie' ? randomToken() : null,
        user,
        userAgent: String(userAgent).slice(0, 256),
        createdAt: createdAt ?? t,
        lastSeenAt: t,
        idleExpiresAt: t + ms(lifetimes.idleTimeout),
        absoluteExpiresAt: absoluteExpiresAt ?? t + ms(lifetimes.absoluteTimeout),
        endedAt: null,
        tokens: new Set(),
      };
      sessions.set(session.id, session);
      handles.set(session.handle, session);
      return session;
    },

    /** New access token for a session. */
    issueAccessToken(session) {
      return issue(session, 'access', lifetimes.accessTokenTtl);
    },

    /** New refresh token in the session's family. */
    issueRefreshToken(session) {
      return issue(session, 'refresh', lifetimes.refreshTokenTtl);
    },

    /**
     * New session-cookie value of a cookie-mode session (the id the browser
     * holds; only its hash is kept). Valid until the session ends.
     */
    issueCookieToken(session) {
      return issue(session, 'cookie', (session.absoluteExpiresAt - now()) / 1000);
    },

    /**
     * The live session of a session-cookie value this store issued, or null
     * (unknown, planted, ended or expired). Does not count as activity.
     */
    authenticateCookie(cookieToken) {
      const found = lookup(cookieToken, 'cookie');
      return found && isLive(found.session) ? found.session : null;
    },

    /**
     * The live session of a valid, unexpired, unrevoked access token, or null.
     * Ends the session first if it has passed its idle or absolute deadline.
     */
    authenticate(accessToken) {
      const found = lookup(accessToken, 'access');
      if (!found || now() >= found.record.expiresAt) return null;
      return isLive(found.session) ? found.session : null;
    },

    /**
     * Spend a refresh token. `{ session }` when it was valid (it is now spent);
     * `{ error: 'reuse', session }` when it had been spent before (the family is
     * revoked; `extra` goes into the `reuse_detected` log line);
     * `{ error: 'invalid', session? }` otherwise (`session` when the token is one
     * of a known session, for the rejection log).
     */
    spendRefreshToken(refreshToken, extra = {}) {
      const found = lookup(refreshToken, 'refresh');
      if (!found) return { error: 'invalid' };
      const { record, session } = found;
      if (record.spent) {
        if (!end(session, 'reuse_detected', extra)) log.event('reuse_detected', session, { alreadyEnded: true, ...extra });
        return { error: 'reuse', session };
      }
      if (now() >= record.expiresAt || !isLive(session)) return { error: 'invalid', session };
      record.spent = true;
      return { session };
    },

    /**
     * The session a token (access or refresh, any state) belongs to, if it has not ended.
     * Used by logout, which only ever takes privilege away.
     */
    sessionOfAnyToken(token, kind) {
      const found = lookup(token, kind);
      return found && found.session.endedAt === null ? found.session : null;
    },

    /** The session a token of this kind belongs to, in any state (for rejection logs), or null. */
    knownSession(token, kind) {
      return lookup(token, kind)?.session ?? null;
    },

    /** Whether the session is still live (ends it now if a deadline has passed). */
    isLive,

    /** Record activity: moves the idle deadline. */
    touch(session) {
      const t = now();
      session.lastSeenAt = t;
      session.idleExpiresAt = t + ms(lifetimes.idleTimeout);
    },

    /**
     * End a session (all its tokens stop working); logs `event` (skip with null).
     * @returns {boolean} false when it had already ended
     */
    end,

    /** The live session with this handle, if any. */
    byHandle(handle) {
      const session = handles.get(handle);
      return session && isLive(session) ? session : null;
    },

    /** The live sessions of a user, oldest first. */
    sessionsOf(user) {
      return [...sessions.values()].filter((s) => s.user === user && isLive(s)).sort((a, b) => a.createdAt - b.createdAt);
    },

    /** Every live session. */
    liveSessions() {
      return [...sessions.values()].filter(isLive);
    },

    /** Make every access token expire now. */
    expireAccessTokens() {
      const t = now();
      for (const record of tokens.values()) {
        if (record.kind === 'access' && record.expiresAt > t) record.expiresAt = t;
      }
    },

    /** End sessions past their deadlines; forget sessions ended long enough ago. */
    sweep() {
      const keepMs = ms(Math.max(lifetimes.refreshTokenTtl, lifetimes.accessTokenTtl));
      for (const session of sessions.values()) {
        if (isLive(session) || now() - session.endedAt < keepMs) continue;
        for (const hash of session.tokens) tokens.delete(hash);
        sessions.delete(session.id);
      }
    },

    /** Plaintext of issued tokens since the last clear (test mode only; empty otherwise). */
    issuedTokens() {
      return { accessToken: issued.accessToken, refreshToken: issued.refreshToken, all: issued.all.slice() };
    },

    /** Forget everything. */
    clear() {
      sessions.clear();
      handles.clear();
      tokens.clear();
      issued = { accessToken: null, refreshToken: null, all: [] };
    },
  };
}
