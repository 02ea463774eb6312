// Issue 11, item 3 in WebKit: an idle tab notices that its session was signed out from another
// device within about one monitor interval, with reason `server`; the status checks (one tab at
// a time) never slide the server's idle deadline (Chromium and Firefox: e2e/sdk/monitor.spec.ts).
// A second WebDriver session is not possible (WebKitWebDriver allows one), so the other device
// is plain HTTP from Node (e2e/support/other-device.ts) with its own bearer token.
import { describe, expect, test } from 'vitest'
import { type ListedSession, signInOtherDevice } from '../support/other-device.js'
import { PROMPT_MS } from '../support/timeouts.js'
import { poll, TOKEN_AUTH, useWebKit } from './driver.js'

const INTERVAL_MS = 2_000
const MONITORED = {
  auth: { ...TOKEN_AUTH, statusUrl: '/auth/status' },
  monitor: { interval: INTERVAL_MS, onFocus: false },
  idle: { timeout: '15m', warnBefore: '1m' },
}
const { monitor: _, ...UNMONITORED } = MONITORED
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

const wk = useWebKit()

/** The browser's session as the other device lists it: the only one besides its own. */
async function browserSession(other: { othersSessions(): Promise<ListedSession[]> }): Promise<ListedSession> {
  const others = await other.othersSessions()
  expect(others, "the other device sees exactly the browser's session").toHaveLength(1)
  return others[0]!
}

describe('WebKit: the revocation monitor', () => {
  test('an idle tab ends within an interval of "sign out other sessions" from another device, reason server; the checks did not slide the deadline', async () => {
    await wk.signedIn(MONITORED)
    const other = await signInOtherDevice(wk.httpOrigin)
    const before = await browserSession(other)
    expect(typeof before.idleExpiresAt, 'the list shows the idle deadline').toBe('number')
    expect(typeof before.lastSeenAt).toBe('number')

    await sleep(2.5 * INTERVAL_MS)
    const checks = (await wk.server.counters()).status
    expect(checks, 'status checks while idle').toBeGreaterThanOrEqual(2)
    expect(checks, 'about one check per interval').toBeLessThanOrEqual(3)
    const after = await browserSession(other)
    expect(after.idleExpiresAt, 'the status checks did not slide the idle deadline').toBe(before.idleExpiresAt)
    expect(after.lastSeenAt, 'the status checks did not count as activity').toBe(before.lastSeenAt)
    expect(await wk.state()).toBe('authenticated')
    expect(await wk.events('logout')).toEqual([])

    // The comparison can fail: a keepalive (activity) does slide the same deadline.
    await wk.run(() => window.session.extend())
    const slid = await poll(
      () => browserSession(other),
      s => s.idleExpiresAt > before.idleExpiresAt,
    )
    expect(slid.idleExpiresAt, 'a keepalive slides the deadline the list shows').toBeGreaterThan(before.idleExpiresAt)
    expect(slid.lastSeenAt).toBeGreaterThan(before.lastSeenAt)

    const checksBefore = (await wk.server.counters()).status
    expect(await other.revokeOthers(), 'the browser session was revoked').toBe(1)
    const revokedAt = Date.now()
    expect(await other.othersSessions()).toEqual([])
    const [ended, ...more] = await wk.waitForEvents('logout', INTERVAL_MS + PROMPT_MS)
    expect(more).toEqual([])
    expect(ended!.payload).toMatchObject({ reason: 'server' })
    // Node and the page read the same machine's clock.
    expect(ended!.at - revokedAt, 'ended within about one interval of the revocation').toBeLessThan(INTERVAL_MS + 1_500)
    expect((await wk.server.counters()).status, 'a status check found the revocation').toBeGreaterThan(checksBefore)
    expect(await wk.state()).toBe('ended')
    expect(await other.me(), 'the other device is still signed in').toBe(200)
  })

  test('one tab checks at a time: two tabs make about one check per interval, not two', async () => {
    await wk.signedIn(MONITORED)
    const first = await wk.driver.getWindowHandle()
    await wk.newTab()
    expect(await wk.startSession(MONITORED), 'the second tab restored the session at start-up').toEqual({
      state: 'authenticated',
    })
    const start = (await wk.server.counters()).status
    await sleep(3 * INTERVAL_MS + INTERVAL_MS / 2)
    const checks = (await wk.server.counters()).status - start
    expect(checks).toBeGreaterThanOrEqual(2)
    expect(checks, 'checks in three and a half intervals, two tabs').toBeLessThanOrEqual(4)
    expect(await wk.state()).toBe('authenticated')
    await wk.driver.switchTo().window(first)
    expect(await wk.state()).toBe('authenticated')
  })

  test('onFocus: a tab that regains focus checks at once, and a revoked session ends there', async () => {
    await wk.signedIn({ ...MONITORED, monitor: { interval: '1h' } })
    const other = await signInOtherDevice(wk.httpOrigin)
    expect(await other.revokeOthers()).toBe(1)
    await sleep(500)
    expect((await wk.server.counters()).status, 'no check before the focus (the interval is an hour)').toBe(0)
    expect(await wk.state()).toBe('authenticated')
    await wk.run(() => dispatchEvent(new Event('focus')))
    const [ended] = await wk.waitForEvents('logout', PROMPT_MS)
    expect(ended!.payload).toMatchObject({ reason: 'server' })
    expect((await wk.server.counters()).status).toBeGreaterThanOrEqual(1)
    expect(await wk.state()).toBe('ended')
  })

  test.each([
    ['monitor: false', { ...MONITORED, monitor: false }],
    ['no monitor option', UNMONITORED],
  ])(
    'without the monitor (%s) nothing polls, and the revoked idle tab stays signed in until its next request',
    async (_, options) => {
      await wk.signedIn(options)
      const other = await signInOtherDevice(wk.httpOrigin)
      expect(await other.revokeOthers(), 'the browser session was revoked').toBe(1)
      await sleep(INTERVAL_MS + 500)
      expect((await wk.server.counters()).status, 'status checks').toBe(0)
      expect(await wk.state()).toBe('authenticated')
      expect(await wk.events('logout')).toEqual([])

      // The revocation was real: the tab's next request ends the session.
      expect((await wk.vaultFetch('/api/me')).error?.code).toBe('ERR_SESSION_ENDED')
      const [ended] = await wk.waitForEvents('logout', PROMPT_MS)
      expect(ended!.payload).toMatchObject({ reason: 'server' })
      expect(await wk.state()).toBe('ended')
      expect((await wk.server.counters()).status, 'still no status check').toBe(0)
    },
  )
})
