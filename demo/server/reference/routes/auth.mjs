import { answerWith } from '../auth-http.mjs';

/** Calls past the guard that the counters count (the guard's refusals are 403s). */
const CALL_COUNTERS = { '/auth/logout': 'logout', '/auth/keepalive': 'keepalive' };

/**
 * Token-mode endpoints, all of them session-vault/server's: login, refresh
 * (rotation + reuse detection, the refresh token only from its HttpOnly
 * cookie), logout (Clear-Site-Data), keepalive, status, and the sessions
 * routes under /auth/sessions. Each one refuses cross-site requests and
 * requests without the vault's `Session-Vault: 1` header before anything runs.
 * @param {{ req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL, state: object }} ctx
 */
export async function authRoute(ctx) {
  const response = await answerWith(ctx.state.auth.token, ctx);
  const counter = CALL_COUNTERS[ctx.url.pathname];
  if (counter && response.status !== 403) ctx.state.counters[counter]++;
}
