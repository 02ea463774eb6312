import { expect, test } from '../support/fixtures.js'
import { events, info, signIn, startSession, state } from '../support/harness.js'
import { dialogButton, dialogOpen, dialogSnapshot, keepMoving, waitForEvent } from '../support/idle.js'
import { ORIGIN } from '../support/server.js'

test.use({ lifetimes: { idleTimeout: 60 } })

// Real time throughout: Playwright's page.clock does not reach the vault
// worker's timers or Date. Lifetimes on the server are in seconds; its own idle
// timeout is long (60 s) so the client's idle timer is the one under test.

test('the warning opens on time, ticks every second, and "Stay signed in" extends the session', async ({
  server,
  page,
}) => {
  const timeout = 6_000
  const warnBefore = 4_000
  const before = await signIn(page, { idle: { timeout, warnBefore }, dialog: true })
  expect(before.idleDeadline).toEqual(expect.any(Number))
  const warnAt = before.idleDeadline! - warnBefore

  const warning = await waitForEvent(page, 'warning', timeout)
  expect(warning.payload).toMatchObject({ reason: 'idle', deadline: before.idleDeadline })
  expect(warning.at, 'warning not before deadline - warnBefore').toBeGreaterThanOrEqual(warnAt)
  expect(warning.at - warnAt, 'warning within 500 ms of deadline - warnBefore').toBeLessThan(500)
  expect(warning.payload.remainingMs as number).toBeGreaterThan(warnBefore - 500)
  expect(warning.payload.remainingMs as number).toBeLessThanOrEqual(warnBefore)
  expect(await state(page)).toBe('warning')
  const opened = await dialogSnapshot(page)
  expect(opened).toMatchObject({ open: true, reason: 'idle' })
  const firstCountdown = opened!.countdown

  // Two ticks, one per whole second of the countdown, each on time (within 500 ms).
  const tick2 = await waitForEvent(page, 'tick', 3_000, 2)
  const [tick1] = await events(page, 'tick')
  const deadline = before.idleDeadline!
  for (const [k, tick] of [
    [1, tick1!],
    [2, tick2],
  ] as const) {
    const due = deadline - (warnBefore - k * 1_000)
    expect(tick.at, `tick ${k} not early`).toBeGreaterThanOrEqual(due)
    expect(tick.at - due, `tick ${k} within 500 ms`).toBeLessThan(500)
    expect(tick.payload.remainingMs as number).toBeLessThanOrEqual(warnBefore - k * 1_000)
    expect(tick.payload.remainingMs as number).toBeGreaterThan(warnBefore - k * 1_000 - 500)
  }
  expect(tick2.at - tick1!.at, 'about a second apart').toBeGreaterThan(500)
  expect(tick2.at - tick1!.at, 'about a second apart').toBeLessThan(1_500)
  const ticked = await dialogSnapshot(page)
  expect(ticked!.countdown).toBeTruthy()
  expect(ticked!.countdown, 'the visible countdown follows the ticks').not.toBe(firstCountdown)
  expect(await state(page)).toBe('warning')

  const keepalives = (await server.counters()).keepalive
  await dialogButton(page, 'Stay signed in').click()
  const extended = await waitForEvent(page, 'extended', 2_000)
  await expect.poll(() => dialogOpen(page), { timeout: 2_000 }).toBe(false)
  expect.soft(await state(page), 'session.state leaves warning once extended').toBe('authenticated')
  await expect.poll(async () => (await server.counters()).keepalive, { timeout: 2_000 }).toBeGreaterThan(keepalives)

  const after = await info(page)
  expect(after.idleDeadline!, 'the idle deadline moved').toBeGreaterThan(before.idleDeadline!)
  expect(Math.abs(after.idleDeadline! - (extended.at + timeout))).toBeLessThan(500)
  expect(await events(page, 'logout')).toEqual([])
})

test('with no input the session ends with reason idle at the deadline, and the server was told', async ({
  server,
  page,
  request,
}) => {
  const { idleDeadline } = await signIn(page, { idle: { timeout: 3_000, warnBefore: 1_500 }, dialog: true })
  const { accessToken } = await server.tokens()
  const bearer = { Authorization: `Bearer ${accessToken}` }
  expect((await request.get(`${ORIGIN}/api/me`, { headers: bearer })).status(), 'the token works before').toBe(200)

  await waitForEvent(page, 'warning', 3_000)
  expect(await dialogOpen(page)).toBe(true)

  const logout = await waitForEvent(page, 'logout', 4_000)
  expect(logout.payload).toEqual({ reason: 'idle', serverConfirmed: true })
  expect(logout.at, 'not before the deadline').toBeGreaterThanOrEqual(idleDeadline!)
  expect(logout.at - idleDeadline!, 'within 1 s of the deadline').toBeLessThan(1_000)
  expect(await state(page)).toBe('ended')
  expect(await dialogOpen(page), 'the dialog is gone').toBe(false)
  expect(await events(page, 'extended')).toEqual([])

  expect((await server.counters()).logout).toBe(1)
  const me = await request.get(`${ORIGIN}/api/me`, { headers: bearer })
  expect(me.status(), 'the old access token is dead on the server').toBe(401)
})

test('a reload resets neither the idle clock nor the absolute deadline', async ({ page }) => {
  const options = { idle: { timeout: 20_000, warnBefore: 5_000, absoluteTimeout: 40_000 } }
  const before = await signIn(page, options)
  expect(before.idleDeadline).toEqual(expect.any(Number))
  expect(before.absoluteDeadline).toEqual(expect.any(Number))
  await page.waitForTimeout(2_000)

  await page.reload()
  await page.waitForFunction(() => window.harnessReady === true)
  // No login here: the new session restores through the refresh cookie.
  expect(await startSession(page, options)).toEqual({ state: 'authenticated' })
  const after = await info(page)
  expect(after.authenticated).toBe(true)
  expect(Math.abs(after.idleDeadline! - before.idleDeadline!), 'idle deadline kept across the reload').toBeLessThan(
    1_100,
  )
  expect(
    Math.abs(after.absoluteDeadline! - before.absoluteDeadline!),
    'absolute deadline kept across the reload',
  ).toBeLessThan(50)
  // A reset clock would read now + timeout: make sure it does not.
  const now = await page.evaluate(() => Date.now())
  expect(now + 20_000 - after.idleDeadline!).toBeGreaterThan(1_500)
})

test('continuous input cannot outlive the absolute timeout', async ({ page }) => {
  const before = await signIn(page, {
    idle: { timeout: 4_000, warnBefore: 2_000, absoluteTimeout: 5_000 },
    dialog: true,
  })
  const absoluteDeadline = before.absoluteDeadline!
  expect(absoluteDeadline).toEqual(expect.any(Number))

  // Keep the user busy past the absolute deadline.
  const busy = keepMoving(page, 5_600, 250)
  const warning = await waitForEvent(page, 'warning', 5_000)
  expect(warning.payload).toMatchObject({ reason: 'absolute', deadline: absoluteDeadline })
  const dialog = await dialogSnapshot(page)
  expect(dialog).toMatchObject({ open: true, reason: 'absolute' })
  expect(dialog!.buttons, 'the absolute warning cannot be extended').not.toContain('Stay signed in')
  expect(dialog!.buttons).toContain('Sign out now')

  const logout = await waitForEvent(page, 'logout', 4_000)
  await busy
  expect(logout.payload).toMatchObject({ reason: 'absolute' })
  expect(logout.at).toBeGreaterThanOrEqual(absoluteDeadline)
  expect(logout.at - absoluteDeadline, 'ends at the absolute deadline').toBeLessThan(1_000)
  const all = await events(page)
  const firstWarning = all.findIndex(event => event.name === 'warning')
  const end = all.findIndex(event => event.name === 'logout')
  expect(firstWarning).toBeGreaterThanOrEqual(0)
  expect(firstWarning).toBeLessThan(end)
  expect(all.filter(event => event.name === 'warning').map(event => event.payload.reason)).toEqual(['absolute'])
  expect(all.filter(event => event.name === 'activity').length, 'the input was seen').toBeGreaterThan(1)
  expect(await state(page)).toBe('ended')
  expect(await dialogOpen(page)).toBe(false)
})
