// Issue 11, item 2: a tab that starts while the server is unreachable still has a session; it
// says "not known yet" (info.restoring) instead of "signed out", retries with backoff, and signs
// in by itself when the server is back, without a reload.
import { expect, test } from '../support/fixtures.js'
import { events, info, login, openHarness, startSession, state } from '../support/harness.js'
import { waitForEvent } from '../support/idle.js'
import { PROMPT_MS } from '../support/timeouts.js'

/** The first retries come after about 1 and 2 s (±20 %): a server back after 1.5 s is seen within this. */
const BACKOFF_WINDOW_MS = 2_400 + 1_200 + PROMPT_MS
/** The 'online' retry must sign in at least this long before the scheduled one would have run. */
const ONLINE_MARGIN_MS = 500
/** How long the server stays down after the tab started. */
const DOWN_MS = 1_500

test('started while the server is down: restoring, then signed in by itself when it is back', async ({
  signedIn: page,
  server,
}) => {
  await server.post('/test/outage', { on: true })
  await openHarness(page)
  expect(await startSession(page)).toEqual({ state: 'anonymous' })
  expect(await info(page)).toEqual({ authenticated: false, restoring: true })
  const restoring = await waitForEvent(page, 'restoring', PROMPT_MS)
  expect(restoring.payload).toMatchObject({ active: true })
  expect((await events(page, 'error'))[0]?.payload).toMatchObject({ code: 'ERR_NETWORK' })

  await page.waitForTimeout(DOWN_MS)
  await server.post('/test/outage', { on: false })
  await waitForEvent(page, 'authenticated', BACKOFF_WINDOW_MS)
  expect(await state(page)).toBe('authenticated')
  expect(await info(page)).toMatchObject({ authenticated: true })
  expect((await info(page)).restoring).toBeUndefined()
  expect((await events(page, 'restoring')).at(-1)?.payload).toEqual({ active: false })
  expect(await page.evaluate(() => window.session.fetch('/api/me').then(r => r.status))).toBe(200)
})

test('back online: the retry runs at once, not after the backoff', async ({ signedIn: page, server, context }) => {
  await server.post('/test/outage', { on: true })
  await openHarness(page)
  await startSession(page)
  // After the first retry failed, the next one is scheduled about 2 s away.
  const scheduled = await waitForEvent(page, 'restoring', PROMPT_MS, 2)
  const { retryAt } = scheduled.payload as { retryAt: number }
  await server.post('/test/outage', { on: false })
  await context.setOffline(true)
  await context.setOffline(false)
  const signedIn = await waitForEvent(page, 'authenticated', PROMPT_MS)
  expect(signedIn.at).toBeLessThan(retryAt - ONLINE_MARGIN_MS)
})

test('login() during the retries stops them', async ({ signedIn: page, server }) => {
  await server.post('/test/outage', { on: true })
  await openHarness(page)
  await startSession(page)
  expect((await info(page)).restoring).toBe(true)
  await server.post('/test/outage', { on: false })
  expect(await login(page)).toEqual({ ok: true })
  expect((await events(page, 'restoring')).at(-1)?.payload).toEqual({ active: false })
  expect(await state(page)).toBe('authenticated')
})

test('no session at all (the server answers 401): signed out, not restoring', async ({ page }) => {
  await openHarness(page)
  expect(await startSession(page)).toEqual({ state: 'anonymous' })
  expect(await info(page)).toEqual({ authenticated: false })
  expect(await events(page, 'restoring')).toEqual([])
})
