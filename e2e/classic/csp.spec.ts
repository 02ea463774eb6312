import { HOME, LOGIN, OTHER, recordPages, SIGNED_OUT, submitClassicLogin, waitForSdkState } from '../classic/support.js'
import { tripTrustedTypes } from '../support/csp.js'
import { expect, test } from '../support/fixtures.js'
import { ALICE } from '../support/server.js'
import { PROMPT_MS, STRAGGLER_MS } from '../support/timeouts.js'

test.use({ lifetimes: { idleTimeout: 9 } })

test('no CSP violation on any classic page: login, failed login, home, refused form, other, idle dialog, signed out', async ({
  server,
  context,
  page,
}) => {
  // The idle dialog opens 2.25 s before the 9 s deadline: room for the form steps below on a busy
  // machine (with 6 s, Firefox sharing two cores with the other engines sometimes reached the
  // deadline before the new page's dialog was up).
  await server.reset({ idleTimeout: 9 })
  const records = await recordPages(context)
  const violations = () =>
    records
      .filter(r => r.kind === 'csp')
      .map(({ url, directive, blocked, sample }) => ({ url, directive, blocked, sample }))
  const consoleCsp: string[] = []
  page.on('console', message => {
    if (/Content[- ]Security[- ]Policy|Trusted Type/i.test(message.text())) consoleCsp.push(message.text())
  })
  const pageErrors: string[] = []
  page.on('pageerror', error => pageErrors.push(error.message))
  const documents: { url: string; status: number; csp: string }[] = []
  page.on('response', response => {
    if (response.request().resourceType() === 'document') {
      documents.push({
        url: response.url(),
        status: response.status(),
        csp: response.headers()['content-security-policy'] ?? '',
      })
    }
  })

  // The login page, then a failed login (the error page), then the real one.
  await page.goto(LOGIN)
  await page.locator('#username').fill(ALICE.username)
  await page.locator('#password').fill('wrong password')
  await page.locator('#login-form button[type=submit]').click()
  await expect(page.locator('#login-error')).toBeVisible()
  await submitClassicLogin(page)
  await waitForSdkState(page, 'authenticated')

  // A form whose CSRF token is wrong: the 403 "request refused" page.
  await page.locator('#add-note input[name=csrf]').evaluate((input: HTMLInputElement) => (input.value = 'wrong'))
  await page.locator('#note-text').fill('refused')
  await page.locator('#add-note button[type=submit]').click()
  await expect(page.locator('#refused')).toBeVisible()
  await page.getByRole('link', { name: 'Back to your notes' }).click()
  await expect(page).toHaveURL(HOME)
  await waitForSdkState(page, 'authenticated')

  // The other signed-in page, left alone until the idle dialog opens and the SDK signs out.
  await page.getByRole('link', { name: 'Another page' }).click()
  await expect(page).toHaveURL(OTHER)
  await waitForSdkState(page, 'authenticated')
  await expect(page.locator('[data-session-vault=dialog] dialog[role=alertdialog]')).toBeVisible({ timeout: 10_000 })
  expect(violations(), 'with the dialog open').toEqual([])
  await page.waitForURL(SIGNED_OUT, { timeout: PROMPT_MS })
  await expect(page.locator('#signed-out')).toBeVisible()

  // Every page came with the strict policy; give report-uri reports time to arrive; then: nothing anywhere.
  const pages = documents.filter(d => d.status < 300 || d.status >= 400)
  expect(pages.map(d => new URL(d.url).pathname + new URL(d.url).search)).toEqual([
    '/classic/login',
    '/classic/login?error=1',
    '/classic/',
    '/classic/notes',
    '/classic/',
    '/classic/other',
    '/classic/login?signed-out=1',
  ])
  for (const d of pages) {
    expect(d.csp, d.url).toContain("script-src 'self'")
    expect(d.csp, d.url).toContain("require-trusted-types-for 'script'")
    expect(d.csp, d.url).toContain('trusted-types session-vault')
    expect(d.csp, d.url).not.toContain('unsafe-inline')
  }
  await page.waitForTimeout(STRAGGLER_MS)
  expect(violations()).toEqual([])
  expect(consoleCsp).toEqual([])
  expect(pageErrors).toEqual([])
  expect((await server.counters()).cspReports).toBe(0)

  // Control: the listener and the report pipeline do see a violation (a Trusted Types sink fed a string).
  expect(await tripTrustedTypes(page)).toBe(true)
  await expect.poll(() => violations().length).toBe(1)
  await expect.poll(async () => (await server.counters()).cspReports).toBeGreaterThan(0)
})
