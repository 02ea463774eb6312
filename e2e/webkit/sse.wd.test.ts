// Server-Sent Events with session-vault/sse in WebKit, whose streamed bodies come over the
// MessagePort path (Chromium and Firefox: e2e/sdk/sse.spec.ts; shared: e2e/support/sse-scenarios.ts).
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import {
  abortStops,
  CLASSIC_FEED,
  eventsInOrder,
  logoutStops,
  logoutWhileWaitingStops,
  survivesTokenRefresh,
} from '../support/sse-scenarios.js'
import { FORM_SIGN_IN_MS, PROMPT_MS } from '../support/timeouts.js'
import { ALICE, useWebKit, webkitTab } from './driver.js'

const wk = useWebKit()

describe('WebKit: Server-Sent Events through the vault', () => {
  test('events arrive in order', async () => {
    await wk.signedIn()
    await eventsInOrder(webkitTab(wk), expect)
  })

  test('the feed survives a token refresh: Last-Event-ID and the new token, nothing lost or repeated', async () => {
    await wk.signedIn()
    await survivesTokenRefresh(webkitTab(wk), expect)
  })

  test('aborting stops it: the server sees the disconnect, no reconnect', async () => {
    await wk.signedIn()
    await abortStops(webkitTab(wk), expect)
  })

  test('a logout mid-stream stops it, with no reconnect', async () => {
    await wk.signedIn()
    await logoutStops(webkitTab(wk), expect, () => wk.run(() => window.session.logout()))
  })

  test('a logout while it waits to reconnect stops it at once', async () => {
    await wk.signedIn()
    await logoutWhileWaitingStops(webkitTab(wk), expect, () => wk.run(() => window.session.logout()))
  })

  test('cookie mode: the script tag session on a /classic/ page reads the cookie-mode feed in order', async () => {
    await wk.go('/classic/login')
    await wk.driver.findElement(By.css('#login-form #username')).sendKeys(ALICE.username)
    await wk.driver.findElement(By.css('#login-form #password')).sendKeys(ALICE.password)
    await wk.driver.findElement(By.css('#login-form button[type=submit]')).click()
    await wk.driver.wait(until.urlIs(`${wk.origin}/classic/`), FORM_SIGN_IN_MS)
    await wk.waitInPage(() => window.SessionVault?.current?.state === 'authenticated', [], PROMPT_MS)
    await eventsInOrder(webkitTab(wk), expect, CLASSIC_FEED)
  })
})
