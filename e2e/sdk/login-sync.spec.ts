import { expect, test } from '../support/fixtures.js'
import { events, login } from '../support/harness.js'
import { fetchOutcome, openTab, pageNow, waitForEvents } from '../support/termination.js'

test('sign-in in tab A signs in the open tab B without a reload', async ({ server, context }) => {
  const { page: a, state: stateA } = await openTab(context)
  const { page: b, state: stateB } = await openTab(context)
  expect([stateA, stateB]).toEqual(['anonymous', 'anonymous'])
  expect(await fetchOutcome(b)).toEqual({ status: 401 })
  // Proof that B is the same document afterwards (no reload).
  await b.evaluate(() => (window.sameDocument = true))

  const signedInAt = await pageNow(a)
  expect(await login(a)).toEqual({ ok: true })
  const [authenticated, ...more] = await waitForEvents(b, 'authenticated', 3_000)
  expect(more).toHaveLength(0)
  expect(authenticated!.at - signedInAt, 'B followed within 2 s').toBeLessThan(2_000)
  expect(authenticated!.payload).toMatchObject({ authenticated: true })
  expect(await b.evaluate(() => window.sameDocument)).toBe(true)
  expect(await b.evaluate(() => window.session.state)).toBe('authenticated')

  const me = await b.evaluate(async () => {
    const response = await window.session.fetch('/api/me')
    return { status: response.status, body: await response.json() }
  })
  expect(me.status).toBe(200)
  expect(me.body).toMatchObject({ username: 'alice' })
  expect(await fetchOutcome(a)).toEqual({ status: 200 })
  // B restored the shared session through the refresh endpoint; it did not sign in again.
  const counters = await server.counters()
  expect(counters.login).toBe(1)
  expect(counters.refresh).toBeGreaterThanOrEqual(1)
  expect(await events(a, 'authenticated')).toHaveLength(1)

  // And the synced tabs end together too.
  expect(await b.evaluate(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
  const [logoutA] = await waitForEvents(a, 'logout', 2_000)
  expect(logoutA!.payload).toEqual({ reason: 'remote', serverConfirmed: false })
})
