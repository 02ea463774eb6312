// The apps of demo/bundlers (webpack 5, esbuild, Rollup, each built from the packed tarball) in
// WebKit: sign-in, a fetch through the vault, the SDK's default dialog in German (the dialog and its
// language, two chunks loaded on demand), under the strict CSP with Trusted Types (Chromium and Firefox: e2e/sdk/bundler-apps.spec.ts).
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { BUNDLER_APPS, GERMAN } from '../support/bundler-apps.js'
import type { DialogSnapshot } from '../support/idle.js'
import { FORM_SIGN_IN_MS, PROMPT_MS, STRAGGLER_MS } from '../support/timeouts.js'
import { ALICE, clickDialogButton, poll, useWebKit } from './driver.js'

const IDLE_S = 8
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

const wk = useWebKit({ lifetimes: { idleTimeout: IDLE_S } })

const waitForText = async (css: string, text: string, timeout = PROMPT_MS) =>
  wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css(css)), text), timeout)
/** What svScenarios.dialogSnapshot reads of the default dialog (no shadow-root ids). */
type Dialog = Pick<DialogSnapshot, 'open' | 'modal' | 'role' | 'reason' | 'countdown' | 'buttons'> | null
const dialog = () => wk.run(() => window.svScenarios.dialogSnapshot()) as Promise<Dialog>
const violations = () => wk.run(() => window.__violations ?? [])
const loaded = () => wk.run(() => performance.getEntriesByType('resource').map(entry => entry.name))

describe.each(BUNDLER_APPS)('WebKit: the $name app', app => {
  test('sign in, a fetch through the vault, the default dialog, no CSP violation', async () => {
    await wk.go(`/${app.name}/`)
    await waitForText('h1', `session-vault + ${app.name}`)
    await waitForText('#status', 'Signed out.')
    // WebDriver has no init script: the page's listener starts now; the server's report count covers the load.
    await wk.run(() => {
      const seen: string[] = []
      Object.defineProperty(window, '__violations', { value: seen })
      document.addEventListener('securitypolicyviolation', event => seen.push(event.effectiveDirective))
    })

    const isChunk = (url: string) => app.chunk.test(url)
    expect((await loaded()).filter(isChunk), 'no chunk before sign-in').toEqual([])
    // The page's language, as an app's i18n sets it: the dialog reads it when it loads, after sign-in.
    await wk.run(() => document.documentElement.setAttribute('lang', 'de'))
    await wk.driver.findElement(By.css('#login input[name=password]')).sendKeys(ALICE.password)
    await wk.driver.findElement(By.css('#login button[type=submit]')).click()
    await waitForText('#status', 'Signed in.', FORM_SIGN_IN_MS)
    expect((await wk.server.counters()).api, 'no API call before the button').toBe(0)
    await wk.driver.findElement(By.css('#fetch')).click()
    await waitForText('#result', '200 alice')
    expect((await wk.server.counters()).api).toBe(1)

    // The dialog and its German texts, loaded on demand from the build's folder; the warning a quarter of the timeout ahead.
    expect((await poll(loaded, urls => urls.filter(isChunk).length >= 2, PROMPT_MS)).filter(isChunk)).toHaveLength(2)
    expect(await poll(dialog, d => d?.open === true, IDLE_S * 1_000)).toMatchObject({
      open: true,
      modal: true,
      role: 'alertdialog',
      reason: 'idle',
      buttons: [...GERMAN.buttons],
    })
    const title = () =>
      document.querySelector('[data-session-vault=dialog]')?.shadowRoot?.querySelector('h2')?.textContent
    expect(await wk.run(title)).toBe(GERMAN.title)
    await clickDialogButton(wk.driver, GERMAN.stay)
    expect((await poll(dialog, d => d?.open !== true, PROMPT_MS))?.open).toBe(false)
    expect(await wk.driver.findElement(By.css('#status')).getText()).toBe('Signed in.')

    await wk.driver.findElement(By.css('#logout')).click()
    await waitForText('#status', 'Signed out (user).')
    await sleep(STRAGGLER_MS)
    expect(await violations()).toEqual([])
    expect((await wk.server.counters()).cspReports).toBe(0)

    // Control: a Trusted Types sink fed a plain string is blocked, seen by the listener and reported.
    const blocked = await wk.run(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<b>x</b>')
        return false
      } catch {
        return true
      }
    })
    expect(blocked).toBe(true)
    expect(await poll(violations, v => v.length > 0, PROMPT_MS)).toEqual(['require-trusted-types-for'])
    const reported = await poll(
      () => wk.server.counters(),
      c => c.cspReports > 0,
      PROMPT_MS,
    )
    expect(reported.cspReports).toBeGreaterThan(0)
  })
})
