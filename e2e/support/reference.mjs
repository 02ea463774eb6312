// What every runner knows of the reference server (demo/server) in test mode: the
// demo account and the token-mode routes. One place for the Playwright helpers
// (support/server.ts, support/harness.ts) and the WebKit suite (e2e/webkit/driver.ts);
// the types, and those of /test/reset and /test/counters, are in reference.d.mts.

/** The demo account every sign-in uses. */
export const ALICE = { username: 'alice', password: 'correct horse' }

/** `auth` of createSession in token mode: the reference server's routes. */
export const TOKEN_AUTH = {
  type: 'token',
  loginUrl: '/auth/login',
  refreshUrl: '/auth/refresh',
  logoutUrl: '/auth/logout',
  keepaliveUrl: '/auth/keepalive',
}
