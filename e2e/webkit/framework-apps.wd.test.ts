// The React and Vue apps (demo/react-spa, demo/vue-spa, built by Vite from the packed tarball) in
// WebKit: sign-in, the app's own warning through the adapter, pause past the timeout, a remount that
// keeps the one vault (Chromium and Firefox: e2e/sdk/framework-apps.spec.ts).
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { FORM_SIGN_IN_MS, PROMPT_MS } from '../support/timeouts.js'
import { ALICE, poll, useWebKit } from './driver.js'

const IDLE_S = 8
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

const wk = useWebKit({ lifetimes: { idleTimeout: IDLE_S } })

const text = (css: string) => wk.driver.findElement(By.css(css)).getText()
/** Waits for the element (the app may not have rendered it yet), then for its text. */
async function textIs(css: string, expected: string, timeout = PROMPT_MS): Promise<void> {
  const element = await wk.driver.wait(until.elementLocated(By.css(css)), timeout)
  await wk.driver.wait(until.elementTextIs(element, expected), timeout)
}

describe.each([
  ['React', '/react/'],
  ['Vue', '/vue/'],
])('WebKit: the %s app', (_name, path) => {
  test('sign in, the warning drawn by the app, pause past the timeout, remount, sign out', async () => {
    await wk.go(path)
    await textIs('#status', 'anonymous')
    await wk.driver.findElement(By.css('#login input[name=password]')).sendKeys(ALICE.password)
    await wk.driver.findElement(By.css('#login button[type=submit]')).click()
    await textIs('#who', 'alice', FORM_SIGN_IN_MS)

    // The warning opens a quarter of the timeout ahead: the app's component, timed by the SDK.
    const warning = await wk.driver.wait(until.elementLocated(By.css('[role=alertdialog]')), IDLE_S * 1_000)
    expect(await warning.getText()).toMatch(/Signing out in \d s/)
    await warning.findElement(By.xpath(".//button[text()='Stay signed in']")).click()
    await textIs('#status', 'authenticated')

    await wk.driver.findElement(By.css('#pause')).click()
    await textIs('#phase', 'paused')
    await sleep(IDLE_S * 1_000 + 1_000)
    expect(await text('#status')).toBe('authenticated')
    expect(await wk.driver.findElements(By.css('[role=alertdialog]'))).toHaveLength(0)
    await wk.driver.findElement(By.css('#resume')).click()

    const refreshes = (await wk.server.counters()).refresh
    await wk.driver.findElement(By.css('#remount')).click()
    await textIs('#who', 'alice')
    // A second vault would have restored the session with a refresh: the same vault needs none.
    expect((await wk.server.counters()).refresh, 'no second vault after the remount').toBe(refreshes)

    await wk.driver.findElement(By.css('#logout')).click()
    await textIs('#status', 'ended')
    // `ended` shows as the logout starts; the server's call follows.
    expect(
      (
        await poll(
          () => wk.server.counters(),
          c => c.logout > 0,
          PROMPT_MS,
        )
      ).logout,
    ).toBe(1)
  })
})
