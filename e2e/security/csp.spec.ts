import { tripTrustedTypes } from '../support/csp.js'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'
import { STRAGGLER_MS } from '../support/timeouts.js'

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
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string; sample: string }[] = []
    Object.defineProperty(window, '__violations', { value: seen })
    document.addEventListener('securitypolicyviolation', event => {
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample })
    })
  })
  const violations = () => page.evaluate(() => window.__violations as unknown[])
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

  // Give a report (report-uri) time to arrive, then: nothing, in the page or on the server.
  await page.waitForTimeout(STRAGGLER_MS)
  expect(await violations()).toEqual([])
  expect((await server.counters()).cspReports).toBe(0)
  expect(errors).toEqual([])

  // Control: the listener and the report pipeline do see a violation (a Trusted Types sink
  // fed a plain string), so the two checks above could fail.
  expect(await tripTrustedTypes(page)).toBe(true)
  await expect.poll(violations).toEqual([expect.objectContaining({ directive: 'require-trusted-types-for' })])
  await expect.poll(async () => (await server.counters()).cspReports).toBeGreaterThanOrEqual(1)
})
