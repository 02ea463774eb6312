// Clock skew (issue 11, item 1), written once: e2e/idle/clock-skew.spec.ts runs it in
// Chromium and Firefox, e2e/webkit/clock-skew.wd.test.ts in WebKit. The reference server's
// clock is set 20 minutes off the browser's (/test/clock) and it sends only epoch deadlines
// (no idleExpiresIn/absoluteExpiresIn), so only its Date header tells the client its time.
// The server's idle timeout is short (12 s) and the client's long (60 s): the server's
// deadline is the one that counts, and the warning must come warnBefore ahead of it as the
// server's clock has it.
import type { Lifetimes } from './reference.mjs'
import { type Expect, poll, type ServerControl, type Tab } from './tab.js'

const MINUTE = 60_000

/** The two skews: the server's clock ahead of the browser's (a slow client) and behind it (a fast client). */
export const SKEWS = [
  ['20 minutes ahead of', 20 * MINUTE],
  ['20 minutes behind', -20 * MINUTE],
] as const

/** The server's idle timeout, seconds (scaled down from 15 minutes). */
const SERVER_IDLE_S = 12
export const SKEW_LIFETIMES: Lifetimes = { idleTimeout: SERVER_IDLE_S }

const WARN_BEFORE_MS = 4_000
/** The client's own idle timer: far longer than the server's, so the server's deadline governs. */
export const SKEW_IDLE = { timeout: 60_000, warnBefore: WARN_BEFORE_MS }

/**
 * How early a deadline may come: `Date` has one-second resolution and the SDK takes the top of that
 * second (so never late); plus scheduling.
 */
const EARLY_MS = 1_500
/** How late: the answer's time in transit, the vault's timer and the page's event loop on a busy machine. */
const LATE_MS = 1_500

/** A signed-in tab (token mode, `idle: SKEW_IDLE`) that can say "stay signed in" (`session.extend()`). */
export interface SkewTab extends Tab {
  extend(): Promise<void>
}

/** Sets the reference server's clock `offsetMs` off the real one, sending epoch deadlines only. */
export async function skewServerClock(server: ServerControl, offsetMs: number): Promise<void> {
  await server.post('/test/clock', { offsetMs, relative: false })
}

/** `session.extend()`, timed: the server took the keepalive between `sent` and `answered` (epoch ms). */
async function timedExtend(tab: SkewTab): Promise<{ sent: number; answered: number }> {
  const sent = Date.now()
  await tab.extend()
  return { sent, answered: Date.now() }
}

function expectWithin(expect: Expect, actual: number, from: number, to: number, what: string): void {
  expect(actual, `${what}: not more than ${EARLY_MS} ms early`).toBeGreaterThanOrEqual(from - EARLY_MS)
  expect(actual, `${what}: not more than ${LATE_MS} ms late`).toBeLessThanOrEqual(to + LATE_MS)
}

/**
 * After a keepalive the session stays signed in; the idle deadline is the server's (12 s after it
 * got the keepalive, on its clock); the warning opens warnBefore ahead of it; "Stay signed in" keeps
 * the session with the next server deadline.
 */
export async function staysSignedInAndWarnsOnServerTime(tab: SkewTab, expect: Expect): Promise<void> {
  const first = await timedExtend(tab)
  expect(await tab.state(), 'still signed in after the keepalive').toBe('authenticated')
  expect(await tab.events('logout')).toEqual([])
  const serverIdleMs = SERVER_IDLE_S * 1000
  const { idleDeadline } = await tab.info()
  expectWithin(expect, idleDeadline ?? 0, first.sent + serverIdleMs, first.answered + serverIdleMs, 'idle deadline')

  const warnings = await poll(
    () => tab.events('warning'),
    found => found.length > 0,
    serverIdleMs,
  )
  const [warning] = warnings
  expect(warning?.payload.reason, `a warning came (events: ${JSON.stringify(await tab.events())})`).toBe('idle')
  const warnAt = serverIdleMs - WARN_BEFORE_MS
  expectWithin(expect, warning!.at, first.sent + warnAt, first.answered + warnAt, 'warning')
  expect(await tab.state()).toBe('warning')

  const second = await timedExtend(tab)
  expect((await tab.events('extended')).length, 'the warning closed').toBe(1)
  expect(await tab.state(), 'signed in after "Stay signed in"').toBe('authenticated')
  const next = (await tab.info()).idleDeadline ?? 0
  expectWithin(expect, next, second.sent + serverIdleMs, second.answered + serverIdleMs, 'next idle deadline')
  expect(await tab.events('logout')).toEqual([])
}
