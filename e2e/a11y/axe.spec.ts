// axe-core over every demo page, signed out, signed in and with the idle warning open:
// no serious or critical violation. axe does not enter the dialog's shadow root when it
// is closed; the dialog's own accessibility is tested in e2e/idle/dialog.spec.ts.
import AxeBuilder from '@axe-core/playwright'
import type { Page, TestInfo } from '@playwright/test'
import { HOME, LOGIN, OTHER, signInClassic, waitForSdkState } from '../classic/support.js'
import { boot, sessionOptions, startAuthorizationServer, toLoginPage } from '../oauth/support.js'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'
import { PROMPT_MS } from '../support/timeouts.js'

const BLOCKING = new Set(['serious', 'critical'])
/** Server idle timeout (s) for the "warning open" pages: the demo warns a quarter before it, i.e. 9 s in, 3 s ahead. */
const IDLE_TIMEOUT_S = 12
const WARNING_MS = IDLE_TIMEOUT_S * 1_000

/** Runs axe over the page (WCAG 2.x A and AA and best practices) and expects no serious or critical violation. */
async function expectAccessible(page: Page, testInfo: TestInfo, label: string, disabled: string[] = []): Promise<void> {
  const results = await new AxeBuilder({ page }).disableRules(disabled).analyze()
  await testInfo.attach(`axe ${label}`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  })
  const blocking = results.violations
    .filter(violation => BLOCKING.has(violation.impact ?? ''))
    .map(violation => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map(node => node.target.join(' ')),
    }))
  expect(blocking, `${label}: serious or critical axe violations`).toEqual([])
}

/** Violations of oidc-provider's own development login page (see the OAuth test). */
const PROVIDER_DEV_PAGE_RULES = ['html-has-lang', 'color-contrast']

const warningOf = (page: Page) => page.locator('[data-session-vault=dialog] dialog[role=alertdialog]')

test.describe('demo SPA at /', () => {
  test('signed out', async ({ page }, testInfo) => {
    await page.goto(`${ORIGIN}/`)
    await expect(page.locator('#signed-out')).toBeVisible()
    await expectAccessible(page, testInfo, 'SPA signed out')
  })

  test('signed in', async ({ spaSignedIn: page }, testInfo) => {
    await expectAccessible(page, testInfo, 'SPA signed in')
  })

  test.describe('idle warning open', () => {
    test.use({ lifetimes: { idleTimeout: IDLE_TIMEOUT_S } })
    test('with the warning open', async ({ spaSignedIn: page }, testInfo) => {
      await expect(warningOf(page)).toBeVisible({ timeout: WARNING_MS })
      await expectAccessible(page, testInfo, 'SPA warning open')
    })
  })
})

test.describe('classic server-rendered pages', () => {
  test('signed out: the login page', async ({ page }, testInfo) => {
    await page.goto(LOGIN)
    await expectAccessible(page, testInfo, 'classic login')
  })

  test('signed in: the notes page and the other page', async ({ classicSignedIn: page }, testInfo) => {
    await waitForSdkState(page, 'authenticated')
    await expectAccessible(page, testInfo, 'classic home')
    await page.goto(OTHER)
    await waitForSdkState(page, 'authenticated')
    await expectAccessible(page, testInfo, 'classic other')
  })

  test.describe('idle warning open', () => {
    test.use({ lifetimes: { idleTimeout: IDLE_TIMEOUT_S } })
    test('with the warning open', async ({ classicSignedIn: page }, testInfo) => {
      await expect(page).toHaveURL(HOME)
      await expect(warningOf(page)).toBeVisible({ timeout: WARNING_MS })
      await expectAccessible(page, testInfo, 'classic warning open')
    })
  })

  test('the signed-out page', async ({ page }, testInfo) => {
    await signInClassic(page)
    await waitForSdkState(page, 'authenticated')
    await page.locator('[data-session-vault-logout]').click()
    await expect(page.locator('#signed-out')).toBeVisible({ timeout: PROMPT_MS })
    await expectAccessible(page, testInfo, 'classic signed out')
  })
})

test.describe('OAuth demo provider', () => {
  test('the login page', async ({ page }, testInfo) => {
    const oauth = await startAuthorizationServer()
    try {
      const options = sessionOptions(oauth)
      expect(await boot(page, options)).toEqual({ state: 'anonymous' })
      await toLoginPage(page, oauth)
      // This page is oidc-provider's built-in development login page (devInteractions in
      // demo/oauth/provider.mjs), not markup of this project: it has no <html lang> and low-contrast
      // buttons and links. Every other rule still applies to it.
      await expectAccessible(page, testInfo, 'OAuth provider login', PROVIDER_DEV_PAGE_RULES)
    } finally {
      await oauth.close()
    }
  })
})

test.describe('Vite SPA at /vite/', () => {
  test('signed out and signed in', async ({ page, request }, testInfo) => {
    const built = (await request.get(`${ORIGIN}/vite/`)).ok()
    test.skip(!built, 'demo/vite-spa is not built (node demo/vite-spa/build.mjs)')
    await page.goto(`${ORIGIN}/vite/`)
    await expect(page.locator('#status')).toHaveText('Signed out.')
    await expectAccessible(page, testInfo, 'Vite SPA signed out')
    await page.fill('input[name=password]', 'correct horse')
    await page.click('button[type=submit]')
    await expect(page.locator('#who')).toHaveText('alice')
    await expectAccessible(page, testInfo, 'Vite SPA signed in')
  })
})
