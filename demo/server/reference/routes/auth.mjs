import { answerWith } from '../auth-http.mjs'

/**
 * Token-mode endpoints, all of them session-vault/server's: login, refresh
 * (rotation + reuse detection, the refresh token only from its HttpOnly
 * cookie), logout (Clear-Site-Data), keepalive, status, and the sessions
 * routes under /auth/sessions. Each one refuses cross-site requests and
 * requests without the vault's `Session-Vault: 1` header before anything runs.
 * @param {import('../app.mjs').RouteContext} ctx
 */
export async function authRoute(ctx) {
  await answerWith(ctx.state.auth.token, ctx)
}
