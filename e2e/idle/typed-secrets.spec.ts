// Issue 11, item 6: an idle logout must not leave the password in the sign-in form, or the
// next person at the keyboard clicks "Sign in" and is in. The demo SPA clears what was typed
// when a sign-in succeeds and on every logout; the classic login page forgets the password
// when it is left, so the back/forward cache cannot show it again.

import type { Page } from '@playwright/test'
import { SIGNED_OUT, submitClassicLogin } from '../classic/support.js'
import { expect, test } from '../support/fixtures.js'
import { ALICE, ORIGIN } from '../support/server.js'
import { PROMPT_MS, SDK_LOGOUT_TIMEOUT_MS } from '../support/timeouts.js'

/** Seconds of the server's idle timeout (the SPA and the classic pages take theirs from it). */
const IDLE_S = 6
/** The idle logout: the timeout, the logout call's own bound (the server's answer may be slow), the page's navigation. */
const IDLE_LOGOUT_MS = IDLE_S * 1_000 + SDK_LOGOUT_TIMEOUT_MS + PROMPT_MS

test.use({ lifetimes: { idleTimeout: IDLE_S } })

/** Every value the page's form fields hold, hidden or not: what someone at the keyboard could submit. */
const fieldValues = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map(el => el.value),
  )

test('demo SPA: no form field holds the password after sign-in or after the idle logout', async ({ page }) => {
  await page.goto(`${ORIGIN}/`)
  await expect(page.locator('#signed-out')).toBeVisible()
  await page.getByLabel('User').fill(ALICE.username)
  await page.locator('#login-form').getByLabel('Password').fill(ALICE.password)
  // The check can fail: a typed password is found while it is in the form.
  expect(await fieldValues(page)).toContain(ALICE.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.locator('#who')).toHaveText('Alice Liddell')
  expect(await fieldValues(page)).not.toContain(ALICE.password)

  const draft = 'a private note, half typed'
  await page.getByLabel('New note').fill(draft)
  await expect(page.locator('#status')).toHaveText('Signed out (idle).', { timeout: IDLE_LOGOUT_MS })
  await expect(page.locator('#signed-out')).toBeVisible()
  const after = await fieldValues(page)
  expect(after).not.toContain(ALICE.password)
  expect(after).not.toContain(draft)
})

test('demo SPA: a failed sign-in leaves no password in the form', async ({ page }) => {
  await page.goto(`${ORIGIN}/`)
  await page.getByLabel('User').fill(ALICE.username)
  await page.locator('#login-form').getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.locator('#login-error')).toHaveText('Wrong user name or password.')
  expect(await fieldValues(page)).not.toContain('not the password')
})

test('classic pages: the login page shown again by Back holds no password, nor does any page after the idle logout', async ({
  page,
}) => {
  await page.goto(`${ORIGIN}/classic/login`)
  await page.locator('#login-form #username').fill(ALICE.username)
  await page.locator('#login-form #password').fill(ALICE.password)
  expect(await fieldValues(page)).toContain(ALICE.password)
  await page.locator('#login-form #password').fill('')
  await submitClassicLogin(page)

  await page.goBack()
  await expect(page.locator('#login-form')).toBeVisible()
  expect(await fieldValues(page)).not.toContain(ALICE.password)
  await page.goForward()

  await page.waitForURL(SIGNED_OUT, { timeout: IDLE_LOGOUT_MS })
  expect(await fieldValues(page)).not.toContain(ALICE.password)
})
