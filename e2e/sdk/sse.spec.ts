// Issue 15: Server-Sent Events with session-vault/sse in Chromium and Firefox, through the shared
// scenarios of e2e/support/sse-scenarios.ts (WebKit: e2e/webkit/sse.wd.test.ts).
import { expect, test } from '../support/fixtures.js'
import { playwrightTab } from '../support/scenario.js'
import {
  abortStops,
  eventsInOrder,
  logoutStops,
  logoutWhileWaitingStops,
  survivesTokenRefresh,
} from '../support/sse-scenarios.js'

test('an SSE feed through the vault: events arrive in order', async ({ server, signedIn: page }) => {
  await eventsInOrder(playwrightTab(page, server), expect)
})

test('an SSE feed survives a token refresh: reconnects with Last-Event-ID and the new token, nothing lost or repeated', async ({
  server,
  signedIn: page,
}) => {
  await survivesTokenRefresh(playwrightTab(page, server), expect)
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
