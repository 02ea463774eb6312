// Issue 12: one app (demo/bundlers/app.js) built by webpack 5, esbuild and Rollup from the packed
// tarball (demo/bundlers/build.mjs). Each signs in, fetches through the vault, and shows the SDK's
// default warning dialog in German: the dialog and its language are two chunks each bundler loads
// on demand, under the demo's strict CSP with Trusted Types (webpack's chunk loader through its own
// policy, output.trustedTypes).
// WebKit: e2e/webkit/bundler-apps.wd.test.ts.
import { BUNDLER_APPS, GERMAN } from '../support/bundler-apps.js'
import { expectNoViolations, recordViolations } from '../support/csp.js'
import { expect, test } from '../support/fixtures.js'
import { dialogSnapshot } from '../support/idle.js'
import { ALICE, ORIGIN } from '../support/server.js'

// The app takes its idle settings from /app/config.json: the server's timeout, the warning a quarter ahead.
const IDLE_S = 8
test.use({ lifetimes: { idleTimeout: IDLE_S } })

for (const app of BUNDLER_APPS) {
  test(`${app.name}: the app built from the tarball signs in, fetches, shows the dialog under the strict CSP`, async ({
    page,
    request,
    server,
  }) => {
    const violations = await recordViolations(page)
    const errors: string[] = []
    page.on('pageerror', error => errors.push(error.message))
    const requested: string[] = []
    page.on('request', request => requested.push(request.url()))
    const workerAnswer = page.waitForResponse(response => app.worker.test(response.url()))

    const response = await page.goto(`${ORIGIN}/${app.name}/`)
    const directives = (response?.headers()['content-security-policy'] ?? '').split(';').map(d => d.trim())
    expect(directives).toEqual(
      expect.arrayContaining(["script-src 'self'", "worker-src 'self'", "require-trusted-types-for 'script'"]),
    )
    expect(directives.filter(d => d.startsWith('trusted-types'))).toEqual([app.trustedTypes])
    // The page is served only where it gets that CSP.
    expect((await request.get(`${ORIGIN}/${app.name}/index.html`)).status()).toBe(404)
    await expect(page.locator('h1')).toHaveText(`session-vault + ${app.name}`)
    await expect(page.locator('#status')).toHaveText('Signed out.')

    // The vault runs from the file the build put next to the bundle, served with the worker's own CSP.
    expect(page.workers().map(w => w.url())).toEqual([expect.stringMatching(app.worker)])
    expect((await workerAnswer).headers()['content-security-policy']).toMatch(/^default-src 'none'; connect-src /)

    // The page's language, as an app's i18n sets it: the dialog reads it when it loads, after sign-in.
    expect(
      requested.filter(url => app.chunk.test(url)),
      'no chunk before sign-in',
    ).toEqual([])
    await page.evaluate(() => document.documentElement.setAttribute('lang', 'de'))
    await page.locator('#login input[name=password]').fill(ALICE.password)
    await page.locator('#login button[type=submit]').click()
    await expect(page.locator('#status')).toHaveText('Signed in.')
    expect((await server.counters()).api, 'no API call before the button').toBe(0)
    await page.locator('#fetch').click()
    await expect(page.locator('#result')).toHaveText('200 alice')
    expect((await server.counters()).api).toBe(1)

    // The dialog and its German texts load once the session has an idle timeout; the warning opens a quarter ahead.
    await expect.poll(() => requested.filter(url => app.chunk.test(url))).toHaveLength(2)
    await expect
      .poll(() => dialogSnapshot(page), { timeout: IDLE_S * 1_000 })
      .toMatchObject({
        open: true,
        modal: true,
        role: 'alertdialog',
        reason: 'idle',
        title: GERMAN.title,
        buttons: GERMAN.buttons,
      })
    await page.getByRole('button', { name: GERMAN.stay }).click()
    await expect.poll(async () => (await dialogSnapshot(page))?.open).toBe(false)
    await expect(page.locator('#status')).toHaveText('Signed in.')

    await page.locator('#logout').click()
    await expect(page.locator('#status')).toHaveText('Signed out (user).')

    await expectNoViolations(page, server, violations, errors)
  })
}
