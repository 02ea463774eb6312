// Issue 16, item 7: DOM clobbering (`<img name="currentScript">` and friends)
// must not silently turn off the script tag's auto-init.

import { eventsOf, watchErrors } from '../classic/support.js'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'
import { PROMPT_MS } from '../support/timeouts.js'

const PAGE = `${ORIGIN}/e2e/security/clobbered.html`

test('elements named currentScript, readyState, getElementById, addEventListener, dispatchEvent... before the script tag: auto-init still works', async ({
  server,
  classicRecords: records,
  classicSignedIn: page,
}) => {
  const { consoleErrors } = watchErrors(page)
  // Only what this page records counts (the notes page before it had its own events).
  const here = (name: string) => eventsOf(records, name, page).filter(record => record.url === PAGE)

  await page.goto(PAGE)
  // The clobbering works in this engine: document.currentScript is the image, not a script.
  expect(
    await page.evaluate(() => (document as { currentScript: unknown }).currentScript instanceof HTMLImageElement),
  ).toBe(true)
  await expect.poll(() => here('authenticated').length, { timeout: PROMPT_MS }).toBe(1)
  expect(await page.evaluate(() => window.SessionVault.current?.state)).toBe('authenticated')
  expect(here('error')).toEqual([])

  await page.locator('[data-session-vault-logout]').click()
  await expect.poll(() => here('logout').length, { timeout: PROMPT_MS }).toBe(1)
  expect(here('logout')[0]!.detail).toEqual({ reason: 'user', serverConfirmed: true })
  expect((await server.counters()).classicLogout).toBe(1)
  expect(consoleErrors).toEqual([])
})

test('no script element of its own to read data-config from: one console error and a session-vault:error event, never silence', async ({
  classicRecords: records,
  page,
}) => {
  const { consoleErrors } = watchErrors(page)
  await page.goto(`${ORIGIN}/e2e/security/no-script.html`)
  await expect.poll(() => eventsOf(records, 'error', page).length, { timeout: PROMPT_MS }).toBe(1)
  expect(eventsOf(records, 'error', page)[0]!.detail?.code).toBe('ERR_BAD_OPTIONS')
  expect(consoleErrors).toHaveLength(1)
  expect(consoleErrors[0]).toMatch(/^session-vault: auto-init found no <script> element/)
  await expect(page.locator('#page-ok')).toBeVisible()
})
