// Clock skew (issue 11, item 1) in Chromium and Firefox: the reference server's clock 20 minutes
// off the browser's, epoch deadlines only (support/clock-skew-scenarios.ts; WebKit:
// e2e/webkit/clock-skew.wd.test.ts). Without the conversion on the server's clock, a server
// behind the browser ends the session at the first keepalive, and one ahead of it lets the
// session run past the server's deadline (the warning comes at the client's own, 60 s).
import { eventsOf, signInClassic, waitForSdkState } from '../classic/support.js'
import {
  SKEW_IDLE,
  SKEW_LIFETIMES,
  SKEWS,
  skewServerClock,
  staysSignedInAndWarnsOnServerTime,
} from '../support/clock-skew-scenarios.js'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/harness.js'
import { playwrightTab } from '../support/scenario.js'

test.use({ lifetimes: SKEW_LIFETIMES })

for (const [label, offset] of SKEWS) {
  test(`token mode, the server's clock ${label} the browser's: signed in after a keepalive, the warning on the server's time`, async ({
    server,
    page,
  }) => {
    await skewServerClock(server, offset)
    await signIn(page, { idle: SKEW_IDLE })
    const tab = { ...playwrightTab(page, server), extend: () => page.evaluate(() => window.session.extend()) }
    await staysSignedInAndWarnsOnServerTime(tab, expect)
  })
}

test("cookie mode, the server's clock 20 minutes behind the browser's: the classic page stays signed in and warns on the server's time", async ({
  server,
  page,
  classicRecords,
}) => {
  // The classic pages' SDK config follows the server's lifetimes: idle 12 s, warning 3 s ahead.
  const warnBefore = 3_000
  await skewServerClock(server, -20 * 60_000)
  const signingIn = Date.now()
  await signInClassic(page)
  await waitForSdkState(page, 'authenticated')
  const signedIn = Date.now()
  // The server's idle deadline: 12 s after the last request that touched the session, all of them in between.
  const from = signingIn + 12_000
  const to = signedIn + 12_000
  const { idleDeadline } = await page.evaluate(() => window.SessionVault.current!.info)
  expect(idleDeadline!, 'the deadline the session endpoint gave, on the local clock').toBeGreaterThanOrEqual(
    from - 1_500,
  )
  expect(idleDeadline!).toBeLessThanOrEqual(to + 1_500)

  await waitForSdkState(page, 'warning', 12_000)
  const warnedBy = Date.now()
  expect(warnedBy, 'the warning: not early').toBeGreaterThanOrEqual(from - warnBefore - 1_500)
  expect(warnedBy, 'the warning: not late').toBeLessThanOrEqual(to - warnBefore + 1_500)
  expect(eventsOf(classicRecords, 'logout')).toEqual([])
})
