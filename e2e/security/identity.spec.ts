// Issue 16, items 1 and 8 (SDK side): the vault's auth calls carry
// `Session-Vault: 1`, a refresh that answers for another session ends the
// session instead of switching identity, and a page cannot forge the header.
import { expect, test } from '../support/fixtures.js'
import { events, openHarness, signIn, vaultFetch } from '../support/harness.js'
import { ORIGIN } from '../support/server.js'
import { openTab, waitForEvents } from '../support/termination.js'
import { CROSS_TAB_MS } from '../support/timeouts.js'

const BOB = { username: 'bob', password: 'battery staple' }

test('every auth call of the vault carries Session-Vault: 1, so a server that requires it serves login, restore, keepalive and logout', async ({
  server,
  context,
  page,
}) => {
  await signIn(page)
  const { page: second, state } = await openTab(context, { idle: { timeout: 60_000, warnBefore: 10_000 } })
  expect(state, 'a new tab restores through the refresh endpoint').toBe('authenticated')
  await second.evaluate(() => window.session.extend())
  expect(await page.evaluate(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
  expect((await events(page, 'logout'))[0]!.payload).toEqual({ reason: 'user', serverConfirmed: true })
  const counters = (await server.counters()) as unknown as Record<string, number>
  expect(counters).toMatchObject({ login: 1, keepalive: 1, logout: 1, guardRejected: 0 })
  expect(counters.refresh).toBeGreaterThanOrEqual(1)
})

test('a refresh that answers for another session (a planted refresh cookie) ends the session, reason revoked: /api/me never answers bob', async ({
  server,
  context,
  page,
}) => {
  await signIn(page)
  const before = await vaultFetch(page, '/api/me')
  expect(JSON.parse(before.value!.text).username).toBe('alice')

  // The attacker's own refresh cookie (bob's session) planted in the victim's browser: what a
  // cross-site form posting to /auth/refresh did before the server refused it. Here: alice's cookie
  // is dropped (her session stays live on the server) and bob signs in from another tab.
  await context.clearCookies()
  const attacker = await context.newPage()
  await openHarness(attacker)
  const status = await attacker.evaluate(
    async credentials =>
      (
        await fetch('/auth/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Session-Vault': '1' },
          body: JSON.stringify(credentials),
        })
      ).status,
    BOB,
  )
  expect(status).toBe(200)
  await attacker.close()
  expect((await context.cookies(ORIGIN)).map(cookie => cookie.name)).toEqual(['__Host-sv_rt'])

  // Alice's access token stops working: the vault refreshes, with bob's cookie.
  await server.post('/test/expire-access')
  const after = await vaultFetch(page, '/api/me')
  const answeredBob = after.value?.text.includes('"bob"') ?? false
  expect(answeredBob, '/api/me never answers bob in this tab').toBe(false)
  const [ended] = await waitForEvents(page, 'logout', CROSS_TAB_MS)
  expect(ended!.payload.reason).toBe('revoked')
  expect(await page.evaluate(() => window.session.state)).toBe('ended')
  const later = await vaultFetch(page, '/api/me')
  expect(later.error?.code).toBe('ERR_SESSION_ENDED')
  expect(await events(page, 'authenticated'), 'no second sign-in event (no identity switch)').toHaveLength(1)
})

test('session.fetch never sends a caller-supplied Session-Vault header, so a 307 into an auth endpoint is refused by the server', async ({
  server,
  page,
}) => {
  await signIn(page)

  const echo = await vaultFetch(page, '/api/echo', { headers: { 'Session-Vault': '1', 'X-Other': 'kept' } })
  const headers = JSON.parse(echo.value!.text).headers as Record<string, unknown>
  expect(headers['x-other']).toBe('kept')
  expect('session-vault' in headers, 'the forged header did not reach the server').toBe(false)

  const keepalives = (await server.counters()).keepalive
  const redirected = await vaultFetch(
    page,
    `/test/redirect?status=307&to=${encodeURIComponent(`${ORIGIN}/auth/keepalive`)}`,
    {
      method: 'POST',
      headers: { 'Session-Vault': '1' },
    },
  )
  expect(redirected.ok).toBe(false)
  expect(redirected.error?.code).toBe('ERR_RESERVED_URL')
  const counters = (await server.counters()) as unknown as Record<string, number>
  expect(counters.keepalive, 'the keepalive did not run').toBe(keepalives)
  expect(counters.guardRejected).toBe(1)
})
