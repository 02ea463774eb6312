// Refresh in WebKit: single-flight under 50 concurrent fetches, and a refresh
// the server refuses (reuse of a stolen refresh token) ending the session. The
// scenarios every engine runs (e2e/support/refresh-scenarios.ts; Chromium and
// Firefox: e2e/sdk/refresh.spec.ts).
import { describe, expect, test } from 'vitest'
import {
  oneRefreshAfterClientExpiry,
  oneRefreshAfterServerExpiry,
  refreshReuseEndsSession,
  type SlowRefresh,
} from '../support/refresh-scenarios.js'
import { useWebKit, webkitTab } from './driver.js'

const wk = useWebKit()

/** Holds every refresh 400 ms at the proxy, so all 50 fetches are waiting on it: a second refresh would show. */
const slowRefresh: SlowRefresh = async () => wk.proxy.delay(/^\/auth\/refresh/, 400)

describe('WebKit: refresh', () => {
  test('access token expired on the server: 50 concurrent fetches, exactly one refresh, all succeed', async () => {
    await wk.signedIn()
    await oneRefreshAfterServerExpiry(webkitTab(wk), expect, slowRefresh)
  })

  test('access token expired on the client clock: 50 concurrent fetches, one refresh before sending', async () => {
    await wk.server.reset({ accessTokenTtl: 1.5 })
    await wk.signedIn()
    await oneRefreshAfterClientExpiry(webkitTab(wk), expect, slowRefresh)
  })

  test('a refresh the server refuses (stolen refresh token spent first: reuse detected) ends the session: revoked', async () => {
    // A short access lifetime: the vault's next refresh is driven by expiry.
    await wk.server.reset({ accessTokenTtl: 1.5 })
    await wk.signedIn()
    await refreshReuseEndsSession(webkitTab(wk), expect, wk.server.base)
  })
})
