// Refresh in Chromium and Firefox: the scenarios every engine runs
// (support/refresh-scenarios.ts; WebKit: e2e/webkit/refresh.wd.test.ts).
import type { Page, Route } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { signIn } from '../support/harness.js'
import {
  oneRefreshAfterClientExpiry,
  oneRefreshAfterServerExpiry,
  refreshReuseEndsSession,
  type SlowRefresh,
} from '../support/refresh-scenarios.js'
import { playwrightTab } from '../support/scenario.js'
import { ORIGIN } from '../support/server.js'

/** Holds every refresh request 400 ms on its way out (Playwright intercepts the vault worker's fetches). */
const slowRefresh =
  (page: Page): SlowRefresh =>
  async () => {
    const hold = async (route: Route) => {
      await new Promise(resolve => setTimeout(resolve, 400))
      await route.continue()
    }
    await page.context().route('**/auth/refresh', hold)
    return () => page.context().unroute('**/auth/refresh', hold)
  }

test('access token expired on the server: 50 concurrent fetches, exactly one refresh, all succeed', async ({
  server,
  signedIn: page,
}) => {
  await oneRefreshAfterServerExpiry(playwrightTab(page, server), expect, slowRefresh(page))
})

test('access token expired on the client clock: 50 concurrent fetches, exactly one refresh, all succeed', async ({
  server,
  page,
}) => {
  await server.reset({ accessTokenTtl: 1.5 })
  await signIn(page)
  await oneRefreshAfterClientExpiry(playwrightTab(page, server), expect, slowRefresh(page))
})

test('refresh-token reuse detected by the server ends the session with reason revoked', async ({ server, page }) => {
  // Short access lifetime: the vault's next refresh is driven by expiry.
  await server.reset({ accessTokenTtl: 2 })
  await signIn(page)
  await refreshReuseEndsSession(playwrightTab(page, server), expect, ORIGIN)
})
