// session-vault/sse in cookie mode: the script tag's session on a /classic/ page reads the
// cookie-mode feed (/classic/api/events) through its vault. Token mode: e2e/sdk/sse.spec.ts.
import { expect, test } from '../support/fixtures.js'
import { playwrightTab } from '../support/scenario.js'
import { CLASSIC_FEED, eventsInOrder } from '../support/sse-scenarios.js'
import { signInClassic, waitForSdkState } from './support.js'

test('cookie mode: an SSE feed through the script tag session arrives in order', async ({ server, page }) => {
  await signInClassic(page)
  await waitForSdkState(page, 'authenticated')
  await eventsInOrder(playwrightTab(page, server), expect, CLASSIC_FEED)
})
