// Issue 16, item 2: Web Locks that script holds for ever (one statement on any
// same-origin page) neither stop a logout nor hang the SDK.
import type { BrowserContext, Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, openHarness, signIn, startSession } from '../support/harness.js'
import { CHANNEL, fetchOutcome, logoutIn, openSignedInTabs, waitForEvents } from '../support/termination.js'

const NAMES = ['logout', 'refresh', 'keepalive'].map(name => `${CHANNEL}:${name}`)

/** A signed-out same-origin page whose script takes the SDK's locks and never lets go. */
async function holdLocks(context: BrowserContext, names = NAMES): Promise<Page> {
  const attacker = await context.newPage()
  await openHarness(attacker)
  await attacker.evaluate(all => {
    for (const name of all) void navigator.locks.request(name, () => new Promise(() => {}))
  }, names)
  await expect
    .poll(() =>
      attacker.evaluate(async () => ((await navigator.locks.query()).held ?? []).map(lock => lock.name).sort()),
    )
    .toEqual([...names].sort())
  return attacker
}

test('with every lock held by script, sign-out still ends every tab at once and calls the server', async ({
  server,
  context,
}) => {
  const first = await context.newPage()
  await signIn(first)
  const [a, b] = [first, ...(await openSignedInTabs(context, 1))] as [Page, Page]
  await holdLocks(context)

  const started = Date.now()
  expect(await logoutIn(a)).toEqual({ ok: true })
  const [endedB] = await waitForEvents(b, 'logout', 3_000)
  expect(Date.now() - started, 'logout settles in well under the lock bound').toBeLessThan(4_000)
  expect((await events(a, 'logout'))[0]!.payload).toEqual({ reason: 'user', serverConfirmed: true })
  expect(endedB!.payload.reason).toBe('remote')
  expect((await server.counters()).logout, 'the server was told').toBe(1)
  for (const page of [a, b]) expect(await fetchOutcome(page)).toEqual({ code: 'ERR_SESSION_ENDED' })
  // The refresh cookie is gone: a new tab does not sign straight back in.
  const fresh = await context.newPage()
  await openHarness(fresh)
  expect(await startSession(fresh)).toEqual({ state: 'anonymous' })
})

test('with every lock held by script, the idle logout still happens on time in every tab and calls the server', async ({
  server,
  context,
}) => {
  await server.reset({ idleTimeout: 60 })
  const options = { idle: { timeout: 8_000, warnBefore: 1_000 } }
  const first = await context.newPage()
  await signIn(first, options)
  const [a, b] = [first, ...(await openSignedInTabs(context, 1, options))] as [Page, Page]
  const { idleDeadline } = await a.evaluate(() => window.session.info)
  await holdLocks(context)

  const [endedA] = await waitForEvents(a, 'logout', 10_000)
  const [endedB] = await waitForEvents(b, 'logout', 2_000)
  for (const ended of [endedA!, endedB!]) {
    expect(ended.payload.reason).toBe('idle')
    expect(ended.at - idleDeadline!, 'within 1.5 s of the deadline').toBeLessThan(1_500)
  }
  await a.waitForTimeout(1_000)
  // Both tabs may call it (neither can tell the script's lock from a tab's): at least once, at most twice.
  const { logout } = await server.counters()
  expect(logout).toBeGreaterThanOrEqual(1)
  expect(logout).toBeLessThanOrEqual(2)
})

test('with the refresh lock held by script, a new tab starts (bounded wait, then ERR_TIMEOUT) and a refreshing session.fetch rejects ERR_TIMEOUT', async ({
  server,
  context,
  page,
}) => {
  await signIn(page)
  await holdLocks(context, [`${CHANNEL}:refresh`])

  const tab = await context.newPage()
  await openHarness(tab)
  const started = Date.now()
  const result = await startSession(tab)
  const took = Date.now() - started
  expect(result, 'start-up does not hang: it ends anonymous').toEqual({ state: 'anonymous' })
  expect(took).toBeLessThan(15_000)
  expect((await events(tab, 'error')).map(event => event.payload.code)).toEqual(['ERR_TIMEOUT'])

  // The signed-in tab: its access token dies, the fetch needs a refresh, the lock never comes.
  await server.post('/test/expire-access')
  const fetchStarted = Date.now()
  expect(await fetchOutcome(page)).toEqual({ code: 'ERR_TIMEOUT' })
  expect(Date.now() - fetchStarted).toBeLessThan(15_000)
  expect((await server.counters()).refresh, 'no refresh went out without the lock').toBe(0)
})

test('with the keepalive lock held by script, "stay signed in" still reaches the server (after a bounded wait)', async ({
  server,
  context,
  page,
}) => {
  await signIn(page, { idle: { timeout: 60_000, warnBefore: 10_000 } })
  await holdLocks(context, [`${CHANNEL}:keepalive`])

  const started = Date.now()
  await page.evaluate(() => window.session.extend())
  expect(Date.now() - started).toBeLessThan(15_000)
  expect((await server.counters()).keepalive).toBe(1)
})
