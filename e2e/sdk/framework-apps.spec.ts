// Issue 12: a real React 19 app and a real Vue 3 app (demo/react-spa, demo/vue-spa), built by Vite
// from the packed tarball, on session-vault/react and session-vault/vue: sign-in, a fetch, the idle
// warning drawn by the app's own component through the adapter, pausing idle, cross-tab logout,
// and an unmount/remount that keeps the one vault. Under the demo's strict CSP with Trusted Types.
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { ALICE, ORIGIN } from '../support/server.js'

// The apps take their idle settings from /app/config.json: the server's idle timeout, warning a quarter ahead.
test.use({ lifetimes: { idleTimeout: 8 } })

function watchViolations(page: Page): string[] {
  const violations: string[] = []
  page.on('console', message => {
    if (/Content Security Policy|Trusted Type|Refused/i.test(message.text())) violations.push(message.text())
  })
  return violations
}

async function signIn(page: Page, path: string): Promise<void> {
  await page.goto(`${ORIGIN}${path}`)
  await expect(page.locator('#status')).toHaveText('anonymous')
  await page.locator('#login input[name=password]').fill(ALICE.password)
  await page.locator('#login button[type=submit]').click()
  await expect(page.locator('#who')).toHaveText('alice')
  await expect(page.locator('#status')).toHaveText('authenticated')
}

for (const [name, path] of [
  ['React', '/react/'],
  ['Vue', '/vue/'],
] as const) {
  test(`${name}: sign in, fetch, the app's own warning, pause, remount keeps one vault, cross-tab logout`, async ({
    context,
    page,
    server,
  }) => {
    const violations = watchViolations(page)
    await signIn(page, path)
    expect(page.workers()).toHaveLength(1)
    expect((await server.counters()).api).toBeGreaterThan(0)

    // The warning (a quarter of 8 s ahead) is the app's component; "Stay signed in" extends.
    const warning = page.getByRole('alertdialog', { name: 'Session timeout' })
    await expect(warning).toBeVisible({ timeout: 8_000 })
    await expect(warning).toContainText(/Signing out in \d s/)
    await expect(page.locator('#status')).toHaveText('warning')
    await warning.getByRole('button', { name: 'Stay signed in' }).click()
    await expect(warning).toBeHidden()
    await expect(page.locator('#status')).toHaveText('authenticated')

    // Paused: no warning past the timeout; resumed: the clock runs again.
    await page.locator('#pause').click()
    await expect(page.locator('#phase')).toHaveText('paused')
    await page.waitForTimeout(9_000)
    await expect(warning).toBeHidden()
    await expect(page.locator('#status')).toHaveText('authenticated')
    await page.locator('#resume').click()
    await expect(page.locator('#phase')).toHaveText('active')

    // Unmount and mount again: the same session, the same single vault worker.
    await page.locator('#remount').click()
    await expect(page.locator('#who')).toHaveText('alice')
    await page.waitForTimeout(300)
    expect(page.workers(), 'no second vault after the remount').toHaveLength(1)

    // A second tab restores the session; logging out there ends this one.
    const other = await context.newPage()
    await other.goto(`${ORIGIN}${path}`)
    await expect(other.locator('#status')).toHaveText('authenticated')
    await other.locator('#logout').click()
    await expect(page.locator('#status')).toHaveText('ended')
    expect(violations).toEqual([])
  })
}
