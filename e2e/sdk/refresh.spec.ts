import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, signIn, state } from '../support/harness.js'
import { ORIGIN } from '../support/server.js'

/** `n` concurrent `session.fetch(url)`s in the page; their statuses (or error codes). */
async function concurrentFetches(page: Page, url: string, n: number): Promise<(number | string)[]> {
  return page.evaluate(
    ([u, count]) =>
      Promise.all(
        Array.from({ length: count }, async () => {
          try {
            const response: Response = await window.session.fetch(u)
            const body = await response.json()
            return response.status === 200 && body.username === 'alice'
              ? 200
              : `${response.status} ${JSON.stringify(body)}`
          } catch (caught) {
            const error = caught as { name?: string; code?: string; message?: string } | undefined
            return `${error?.name} ${error?.code ?? ''} ${error?.message}`
          }
        }),
      ),
    [url, n] as const,
  )
}

/**
 * Holds every refresh request a little on its way out (Playwright intercepts the
 * vault worker's fetches), so all 50 requests are waiting on the same refresh:
 * a refresh that is not single-flight would be sent several times.
 */
async function slowRefresh(page: Page, ms = 400): Promise<void> {
  await page.context().route('**/auth/refresh', async route => {
    await new Promise(resolve => setTimeout(resolve, ms))
    await route.continue()
  })
}

test('access token expired on the server: 50 concurrent fetches, exactly one refresh, all succeed', async ({
  server,
  signedIn: page,
}) => {
  const { accessToken: first } = await server.tokens()
  const before = await server.counters()
  await server.post('/test/expire-access')
  await slowRefresh(page)

  const statuses = await concurrentFetches(page, '/api/me', 50)
  expect(statuses).toEqual(Array(50).fill(200))

  const after = await server.counters()
  expect(after.refresh - before.refresh).toBe(1)
  expect(after.refreshReuse).toBe(0)
  // Each fetch reached the API once with the dead token, and the 401s were replayed once with the new one.
  expect(after.api - before.api).toBeGreaterThanOrEqual(51)
  expect(after.api - before.api).toBeLessThanOrEqual(100)
  expect((await server.tokens()).accessToken !== first, 'a new access token was issued').toBe(true)
  expect(await state(page)).toBe('authenticated')
  expect(await events(page, 'logout')).toEqual([])
})

test('access token expired on the client clock: 50 concurrent fetches, exactly one refresh, all succeed', async ({
  server,
  page,
}) => {
  await server.reset({ accessTokenTtl: 1.5 })
  await signIn(page)
  const before = await server.counters()
  const expiresAt = await page.evaluate(() => window.session.info.expiresAt as number)
  expect(expiresAt).toBeGreaterThan(Date.now())
  await slowRefresh(page)
  await page.waitForTimeout(1_700)

  const statuses = await concurrentFetches(page, '/api/me', 50)
  expect(statuses).toEqual(Array(50).fill(200))

  const after = await server.counters()
  expect(after.refresh - before.refresh).toBe(1)
  expect(after.refreshReuse).toBe(0)
  // The vault refreshed before sending: no request went out with the expired token.
  expect(after.api - before.api).toBe(50)
  expect(await state(page)).toBe('authenticated')
  // The page learns the new expiry (info, never a token).
  expect(await page.evaluate(() => window.session.info.expiresAt as number)).toBeGreaterThan(expiresAt)
})

/** A refresh sent from outside the browser with a stolen refresh-token cookie (Node's fetch: no cookie jar). */
async function replayRefresh(refreshToken: string): Promise<Response> {
  const response = await fetch(`${ORIGIN}/auth/refresh`, {
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

test('refresh-token reuse detected by the server ends the session with reason revoked', async ({ server, page }) => {
  // Short access lifetime: the vault's next refresh is driven by expiry.
  await server.reset({ accessTokenTtl: 2 })
  await signIn(page)
  expect(await page.evaluate(() => window.attempt(async () => (await window.session.fetch('/api/me')).status))).toEqual(
    { ok: true, value: 200 },
  )

  // The attacker spends the refresh token first (from elsewhere, as the cookie the server reads it from), which rotates it.
  const { refreshToken: stolen } = await server.tokens()
  const theft = await replayRefresh(stolen)
  expect(theft.status).toBe(200)
  const attackerCookie = theft.headers.get('set-cookie') ?? ''
  const attackerRefresh = /__Host-sv_rt=([^;]+)/.exec(attackerCookie)?.[1]
  expect(attackerRefresh).toBeTruthy()
  expect((await server.counters()).refreshReuse).toBe(0)

  await page.waitForTimeout(2_200)
  // The vault refreshes with the spent token from its cookie: reuse, the family is revoked.
  const next = await page.evaluate(() => window.attempt(async () => (await window.session.fetch('/api/me')).status))
  expect(next).not.toEqual({ ok: true, value: 200 })
  await expect.poll(() => state(page)).toBe('ended')
  await expect.poll(async () => (await events(page, 'logout')).map(e => e.payload.reason)).toEqual(['revoked'])
  const counters = await server.counters()
  expect(counters.refreshReuse).toBe(1)

  const later = await page.evaluate(() => window.attempt(() => window.session.fetch('/api/me')))
  expect(later).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_SESSION_ENDED' } })
  // The server revoked the whole family: the attacker's rotated token is dead too.
  const attackerAgain = await replayRefresh(attackerRefresh!)
  expect(attackerAgain.status).toBe(401)
})
