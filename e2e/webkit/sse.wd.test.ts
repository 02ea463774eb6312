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
  survivesTokenExpiry,
  survivesTokenRefresh,
} from '../support/sse-scenarios.js'
import { FORM_SIGN_IN_MS, PROMPT_MS } from '../support/timeouts.js'
import { ALICE, poll, useWebKit, webkitTab } from './driver.js'

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

  test('the feed outlives tokens that live two seconds: each stream ends at expiry, the next resumes refreshed', async () => {
    await wk.server.reset({ accessTokenTtl: 2 })
    await wk.signedIn()
    await survivesTokenExpiry(webkitTab(wk), expect, 2)
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
    await wk.classicSignedIn()
    await eventsInOrder(webkitTab(wk), expect, CLASSIC_FEED)
  })

  test("the Vite SPA's live feed: session-vault/sse from the packed package, newest first, stopped at logout", async () => {
    await wk.go('/vite/')
    await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#status')), 'Signed out.'), PROMPT_MS)
    await wk.driver.findElement(By.css('#login input[name=password]')).sendKeys(ALICE.password)
    await wk.driver.findElement(By.css('#login button[type=submit]')).click()
    await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#who')), 'alice'), FORM_SIGN_IN_MS)
    await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#feed-status')), 'Connected.'), PROMPT_MS)
    const items = await poll(
      () => wk.run(() => Array.from(document.querySelectorAll('#feed li'), li => li.textContent ?? '')),
      texts => texts.length >= 2,
      5_000,
    )
    const ids = items.map(item => Number(/^#(\d+) at /.exec(item)?.[1]))
    expect(ids).toEqual(ids.map((_, i) => ids.length - i))
    await wk.driver.findElement(By.css('#logout')).click()
    await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#status')), 'Signed out (user).'), PROMPT_MS)
    // #app is hidden now (WebDriver's getText reads only what is shown): the status's text from the page.
    const status = await poll(
      () => wk.run(() => document.getElementById('feed-status')?.textContent),
      value => value === 'Not connected.',
      PROMPT_MS,
    )
    expect(status).toBe('Not connected.')
  })
})
