import { expectNoViolations, recordViolations } from '../support/csp.js'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'

test('the demo page is served with the strict CSP and Trusted Types', async ({ request }) => {
  for (const path of ['/', '/index.html', '/e2e/support/page.html']) {
    const response = await request.get(`${ORIGIN}${path}`)
    expect(response.status(), path).toBe(200)
    const csp = response.headers()['content-security-policy'] ?? ''
    const directives = csp.split(';').map(d => d.trim())
    expect(directives, path).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "require-trusted-types-for 'script'",
        'trusted-types session-vault',
      ]),
    )
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toContain('blob:')
  }
})

test('the demo SPA signs in, adds a note and signs out with no CSP violation', async ({ server, page }) => {
  const violations = await recordViolations(page)
  const errors: string[] = []
  page.on('pageerror', error => errors.push(error.message))

  const response = await page.goto(`${ORIGIN}/`)
  expect(response?.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'")
  expect(response?.headers()['content-security-policy']).toContain('trusted-types session-vault')
  await expect(page.locator('#status')).toHaveText('Signed out.')
  await expect(page.locator('#signed-out')).toBeVisible()

  await page.locator('#login-form input[name=username]').fill('alice')
  await page.locator('#login-form input[name=password]').fill('correct horse')
  await page.locator('#login-form button[type=submit]').click()
  await expect(page.locator('#signed-in')).toBeVisible()
  await expect(page.locator('#who')).toHaveText('Alice Liddell')
  // The vault runs from the same origin (worker-src 'self'), not from blob:.
  expect(page.workers().map(w => w.url())).toContain(`${ORIGIN}/assets/vault.worker.js`)

  await page.locator('#note-form input[name=text]').fill('written under a strict CSP')
  await page.locator('#note-form button[type=submit]').click()
  await expect(page.locator('#notes li')).toHaveText(['written under a strict CSP'])
  await expect(page.locator('#sessions li')).toHaveCount(1)

  await page.locator('#logout').click()
  await expect(page.locator('#log li').filter({ hasText: 'logout' })).toContainText(
    '"reason":"user","serverConfirmed":true',
  )
  await expect(page.locator('#signed-out')).toBeVisible()
  await expect(page.locator('#signed-in')).toBeHidden()
  const counters = await server.counters()
  expect(counters.login).toBe(1)
  expect(counters.logout).toBe(1)

  await expectNoViolations(page, server, violations, errors)
})
