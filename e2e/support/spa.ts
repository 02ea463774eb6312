// The demo SPA at `/` (demo/spa): its one sign-in, through its own form.
import { expect, type Page } from '@playwright/test'
import { ALICE, ORIGIN } from './server.js'

/** Opens the demo SPA, signed out, and signs alice in through its form. */
export async function signInToSpa(page: Page, credentials = ALICE): Promise<void> {
  await page.goto(`${ORIGIN}/`)
  await expect(page.locator('#signed-out')).toBeVisible()
  await page.getByLabel('User').fill(credentials.username)
  await page.locator('#login-form').getByLabel('Password').fill(credentials.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByText('Signed in as')).toBeVisible()
  await expect(page.locator('#who')).toHaveText('Alice Liddell')
}
