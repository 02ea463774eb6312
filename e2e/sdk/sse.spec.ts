// Issue 15: Server-Sent Events with session-vault/sse in Chromium and Firefox, through the shared
// scenarios of e2e/support/sse-scenarios.ts (WebKit: e2e/webkit/sse.wd.test.ts).
import { expect, test } from '../support/fixtures.js'
import { playwrightTab } from '../support/scenario.js'
import {
  abortStops,
  eventsInOrder,
  logoutStops,
  logoutWhileWaitingStops,
  survivesTokenExpiry,
  survivesTokenRefresh,
} from '../support/sse-scenarios.js'

/** Access-token lifetime of the expiry test, seconds. */
const SHORT_TTL = 2

test('an SSE feed through the vault: events arrive in order', async ({ server, signedIn: page }) => {
  await eventsInOrder(playwrightTab(page, server), expect)
})

test('an SSE feed survives a token refresh: reconnects with Last-Event-ID and the new token, nothing lost or repeated', async ({
  server,
  signedIn: page,
}) => {
  await survivesTokenRefresh(playwrightTab(page, server), expect)
})

test.describe('with access tokens that live two seconds', () => {
  test.use({ lifetimes: { accessTokenTtl: SHORT_TTL } })

  test('an SSE feed outlives its tokens: each stream ends at expiry, the next resumes on a refreshed token', async ({
    server,
    signedIn: page,
  }) => {
    test.setTimeout(45_000)
    await survivesTokenExpiry(playwrightTab(page, server), expect, SHORT_TTL)
  })
})

test('aborting an SSE feed stops it: the server sees the disconnect, no reconnect', async ({
  server,
  signedIn: page,
}) => {
  await abortStops(playwrightTab(page, server), expect)
})

test('a logout stops an SSE feed mid-stream, with no reconnect', async ({ server, signedIn: page }) => {
  await logoutStops(playwrightTab(page, server), expect, () => page.evaluate(() => window.session.logout()))
})

test('a logout while the SSE feed waits to reconnect stops it at once', async ({ server, signedIn: page }) => {
  await logoutWhileWaitingStops(playwrightTab(page, server), expect, () => page.evaluate(() => window.session.logout()))
})
