// Issue 11, item 6 in WebKit: after the demo SPA's idle logout no form field holds the password
// (Chromium and Firefox: e2e/idle/typed-secrets.spec.ts).
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { FORM_SIGN_IN_MS, PROMPT_MS, SDK_LOGOUT_TIMEOUT_MS } from '../support/timeouts.js'
import { ALICE, useWebKit } from './driver.js'

/** Seconds of the server's idle timeout (the SPA takes its own from it). */
const IDLE_S = 6
const IDLE_LOGOUT_MS = IDLE_S * 1_000 + SDK_LOGOUT_TIMEOUT_MS + PROMPT_MS

const wk = useWebKit({ lifetimes: { idleTimeout: IDLE_S } })

/** Every value the page's form fields hold, hidden or not. */
const fieldValues = () =>
  wk.run(() => [...document.querySelectorAll<HTMLInputElement>('input, textarea')].map(el => el.value))

describe('WebKit: typed secrets go with the session', () => {
  test('demo SPA: no form field holds the password after sign-in or after the idle logout', async () => {
    await wk.go('/')
    await wk.driver.wait(until.elementIsVisible(wk.driver.findElement(By.css('#signed-out'))), PROMPT_MS)
    const password = wk.driver.findElement(By.css('#login-form input[name=password]'))
    await password.sendKeys(ALICE.password)
    expect(await fieldValues(), 'the check can fail: a typed password is found').toContain(ALICE.password)
    await wk.driver.findElement(By.css('#login-form button[type=submit]')).click()
    await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#who')), 'Alice Liddell'), FORM_SIGN_IN_MS)
    expect(await fieldValues()).not.toContain(ALICE.password)

    const draft = 'a private note, half typed'
    await wk.driver.findElement(By.css('#note-form input[name=text]')).sendKeys(draft)
    await wk.driver.wait(
      until.elementTextIs(wk.driver.findElement(By.css('#status')), 'Signed out (idle).'),
      IDLE_LOGOUT_MS,
    )
    const after = await fieldValues()
    expect(after).not.toContain(ALICE.password)
    expect(after).not.toContain(draft)
  })
})
