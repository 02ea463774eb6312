import { expect, test } from '../support/fixtures.js'
import { events, info, openHarness, signIn, startSession, state } from '../support/harness.js'
import { dialogButton, dialogOpen, keepMoving, waitForEvent } from '../support/idle.js'

test.use({ lifetimes: { idleTimeout: 60 } })

const TIMEOUT = 4_000
const WARN_BEFORE = 2_000
const OPTIONS = { idle: { timeout: TIMEOUT, warnBefore: WARN_BEFORE }, dialog: true }

test('two tabs share one idle clock: input in A keeps B signed in, a dismissal in A closes B, one logout call', async ({
  server,
  context,
}) => {
  const a = await context.newPage()
  const b = await context.newPage()

  await signIn(a, OPTIONS)
  // Tab B signs in by restoring through the shared refresh cookie, and adopts A's clock.
  await openHarness(b)
  expect(await startSession(b, OPTIONS)).toEqual({ state: 'authenticated' })
  const startedAt = Date.now()
  await expect
    .poll(async () => Math.abs((await info(b)).idleDeadline! - (await info(a)).idleDeadline!), { timeout: 2_000 })
    .toBeLessThan(1_100)

  // Input only in A, for longer than the timeout.
  await keepMoving(a, TIMEOUT + 1_000)
  expect(Date.now() - startedAt).toBeGreaterThan(TIMEOUT)
  expect(await state(b), 'B is still signed in past its own timeout').toBe('authenticated')
  expect(await events(b, 'warning')).toEqual([])
  expect(await events(b, 'logout')).toEqual([])
  expect((await info(b)).idleDeadline!, "B's deadline follows A's activity").toBeGreaterThan(startedAt + TIMEOUT)
  expect((await events(b, 'activity')).length, 'B saw no input of its own').toBe(0)

  // No more input: both warn.
  const warnA = await waitForEvent(a, 'warning', TIMEOUT)
  const warnB = await waitForEvent(b, 'warning', TIMEOUT)
  expect(warnA.payload).toMatchObject({ reason: 'idle' })
  expect(warnB.payload).toMatchObject({ reason: 'idle' })
  // Activity is broadcast at most once a second, so B may lag A by up to a second; not more.
  expect(Math.abs((warnA.payload.deadline as number) - (warnB.payload.deadline as number))).toBeLessThan(1_100)
  expect(await dialogOpen(a)).toBe(true)
  expect(await dialogOpen(b)).toBe(true)

  // Dismissing the warning in A closes B's.
  await dialogButton(a, 'Stay signed in').click()
  await waitForEvent(a, 'extended', 2_000)
  const extendedB = await waitForEvent(b, 'extended', 2_000)
  await expect.poll(() => dialogOpen(b), { timeout: 2_000 }).toBe(false)
  await expect.poll(() => dialogOpen(a), { timeout: 2_000 }).toBe(false)
  const deadlineA = (await info(a)).idleDeadline!
  const deadlineB = (await info(b)).idleDeadline!
  expect(Math.abs(deadlineA - deadlineB), 'both tabs share the extended deadline').toBeLessThan(100)
  expect(deadlineB).toBeGreaterThanOrEqual(extendedB.at + TIMEOUT - 1_000)

  // The deadline passes in both tabs at once: both end, and the server hears exactly one logout.
  const logoutA = await waitForEvent(a, 'logout', TIMEOUT + 2_000)
  const logoutB = await waitForEvent(b, 'logout', 2_000)
  expect(logoutA.payload.reason).toBe('idle')
  expect(logoutB.payload.reason).toBe('idle')
  expect(await state(a)).toBe('ended')
  expect(await state(b)).toBe('ended')
  await a.waitForTimeout(500)
  expect((await server.counters()).logout, 'exactly one tab called the server').toBe(1)
})
