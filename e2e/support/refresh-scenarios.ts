// Refresh scenarios that every engine must pass, written once: e2e/sdk/refresh.spec.ts
// runs them in Chromium and Firefox, e2e/webkit/refresh.wd.test.ts in WebKit. Each takes
// a signed-in Tab and the runner's expect (support/tab.ts). The runner slows the refresh
// requests its own way (Playwright routes the worker's fetches; the WebKit suite delays
// them at its proxy), so every concurrent fetch waits on the same refresh and a refresh
// that is not single-flight would be sent several times.
import { type Expect, poll, type Tab } from './tab.js'

/** Holds every refresh request a little on its way out; resolves a function that stops it. */
export type SlowRefresh = () => Promise<() => Promise<void> | void>

const FETCHES = 50

/** `FETCHES` concurrent `session.fetch('/api/me')`s, each refresh held a little: all must answer alice. */
async function concurrentFetchesWhileRefreshIsSlow(tab: Tab, expect: Expect, slowRefresh: SlowRefresh) {
  const stop = await slowRefresh()
  try {
    expect(await tab.step('concurrentFetches', '/api/me', FETCHES)).toEqual(Array(FETCHES).fill(200))
  } finally {
    await stop()
  }
}

/** Waits (in Node; the page's clock is the same machine's) until the access token is past its lifetime. */
async function untilAccessTokenExpired(tab: Tab): Promise<void> {
  const { expiresAt } = await tab.info()
  await new Promise(resolve => setTimeout(resolve, Math.max(0, (expiresAt ?? 0) + 200 - Date.now())))
}

/** The server expired the access token: 50 concurrent fetches, exactly one refresh, every 401 replayed once, all succeed. */
export async function oneRefreshAfterServerExpiry(tab: Tab, expect: Expect, slowRefresh: SlowRefresh): Promise<void> {
  const { accessToken: first } = await tab.server.tokens()
  const before = await tab.server.counters()
  await tab.server.post('/test/expire-access')
  await concurrentFetchesWhileRefreshIsSlow(tab, expect, slowRefresh)

  const after = await tab.server.counters()
  expect(after.refresh - before.refresh).toBe(1)
  expect(after.refreshReuse).toBe(0)
  // Each fetch reached the API once with the dead token, and the 401s were replayed once with the new one.
  expect(after.api - before.api).toBeGreaterThanOrEqual(FETCHES + 1)
  expect(after.api - before.api).toBeLessThanOrEqual(2 * FETCHES)
  expect((await tab.server.tokens()).accessToken !== first, 'a new access token was issued').toBe(true)
  expect(await tab.state()).toBe('authenticated')
  expect(await tab.events('logout')).toEqual([])
}

/**
 * The access token expired on the client's clock (sign in with a short `accessTokenTtl`): 50
 * concurrent fetches, one refresh before sending, none sent with the expired token.
 */
export async function oneRefreshAfterClientExpiry(tab: Tab, expect: Expect, slowRefresh: SlowRefresh): Promise<void> {
  const before = await tab.server.counters()
  const expiresAt = (await tab.info()).expiresAt!
  expect(expiresAt).toBeGreaterThan(Date.now())
  await untilAccessTokenExpired(tab)
  await concurrentFetchesWhileRefreshIsSlow(tab, expect, slowRefresh)

  const after = await tab.server.counters()
  expect(after.refresh - before.refresh).toBe(1)
  expect(after.refreshReuse).toBe(0)
  // The vault refreshed before sending: no request went out with the expired token.
  expect(after.api - before.api, 'no request went out with the expired token').toBe(FETCHES)
  expect(await tab.state()).toBe('authenticated')
  // The page learns the new expiry (info, never a token).
  expect((await tab.info()).expiresAt).toBeGreaterThan(expiresAt)
}

/** A refresh sent from outside the browser with a stolen refresh-token cookie (Node's fetch: no cookie jar). */
async function replayRefresh(serverUrl: string, refreshToken: string): Promise<Response> {
  const response = await fetch(new URL('/auth/refresh', serverUrl), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Session-Vault': '1',
      Cookie: `__Host-sv_rt=${refreshToken}`,
    },
    body: 'grant_type=refresh_token',
  })
  await response.arrayBuffer()
  return response
}

/**
 * Refresh-token reuse (sign in with a short `accessTokenTtl`): an attacker spends the refresh token
 * first, from `serverUrl` (the reference server's plain-HTTP origin, from Node); the vault's next
 * refresh presents the spent one, the server revokes the family, the session ends with reason revoked.
 */
export async function refreshReuseEndsSession(tab: Tab, expect: Expect, serverUrl: string): Promise<void> {
  expect((await tab.vaultFetch('/api/me')).value?.status).toBe(200)

  // The attacker spends the refresh token first (as the cookie the server reads it from), which rotates it.
  const { refreshToken: stolen } = await tab.server.tokens()
  const theft = await replayRefresh(serverUrl, stolen)
  expect(theft.status).toBe(200)
  const attackerRefresh = /__Host-sv_rt=([^;]+)/.exec(theft.headers.get('set-cookie') ?? '')?.[1]
  expect(attackerRefresh).toBeTruthy()
  expect((await tab.server.counters()).refreshReuse).toBe(0)

  // The vault refreshes with the spent token from its cookie: reuse, the family is revoked.
  await untilAccessTokenExpired(tab)
  const next = await tab.vaultFetch('/api/me')
  expect(next.ok && next.value?.status === 200, 'the fetch after a refused refresh does not succeed').toBe(false)
  const logouts = await poll(
    () => tab.events('logout'),
    e => e.length > 0,
  )
  expect(logouts.map(e => e.payload.reason)).toEqual(['revoked'])
  expect(
    await poll(
      () => tab.state(),
      s => s === 'ended',
    ),
  ).toBe('ended')
  expect((await tab.server.counters()).refreshReuse).toBe(1)

  expect(await tab.vaultFetch('/api/me')).toMatchObject({
    ok: false,
    error: { name: 'SessionVaultError', code: 'ERR_SESSION_ENDED' },
  })
  // The server revoked the whole family: the attacker's rotated token is dead too.
  expect((await replayRefresh(serverUrl, attackerRefresh!)).status).toBe(401)
}
