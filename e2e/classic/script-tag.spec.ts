import type { Page } from '@playwright/test'
import { eventsOf, HOME, SIGNED_OUT, watchErrors } from '../classic/support.js'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'
import { SETTLE_MS, STRAGGLER_MS } from '../support/timeouts.js'

/** The script loaded (window.SessionVault, the full API) but made no session, and no vault runs. */
async function expectNoSdkSession(page: Page): Promise<void> {
  expect(
    await page.evaluate(() => {
      const sv = window.SessionVault
      return {
        global: typeof sv,
        createSession: typeof sv?.createSession,
        hasCurrent: sv !== undefined && 'current' in sv,
        current: sv?.current,
      }
    }),
  ).toEqual({ global: 'object', createSession: 'function', hasCurrent: true, current: undefined })
  expect(page.workers()).toEqual([])
}

for (const { config, names } of [
  { config: 'bad-json', names: [/not a JSON object/, /#session-vault-config/] },
  { config: 'bad-options', names: [/idle\.timeout/] },
]) {
  test(`${config} config: the page keeps working without the SDK, one clear console error, a session-vault:error event, no uncaught exception`, async ({
    server,
    context,
    classicRecords: records,
    classicSignedIn: page,
  }) => {
    const watched = watchErrors(page)

    await page.goto(`${HOME}?config=${config}`)
    await expect(page.locator('#signed-in-as')).toBeVisible()
    await expect(page.locator('#add-note')).toBeVisible()
    // Let the deferred script run and anything late (a rejected promise, a second report) show up.
    await page.waitForLoadState('load')
    await page.waitForTimeout(STRAGGLER_MS)

    expect(watched.pageErrors).toEqual([])
    expect(watched.consoleErrors).toHaveLength(1)
    const [message] = watched.consoleErrors
    expect(message).toMatch(/^session-vault: /)
    for (const name of names) expect(message).toMatch(name)
    const errors = eventsOf(records, 'error', page).filter(r => r.url.endsWith(`?config=${config}`))
    expect(errors).toHaveLength(1)
    expect(errors[0]?.detail?.code).toBe('ERR_BAD_OPTIONS')
    expect(`session-vault: ${errors[0]?.detail?.message}`).toBe(message)
    await expectNoSdkSession(page)

    // The page works: the notes form posts (a plain form with its CSRF field)...
    await page.locator('#note-text').fill(`written with ${config}`)
    await page.locator('#add-note button[type=submit]').click()
    await expect(page).toHaveURL(HOME)
    await expect(page.locator('#notes li .text')).toHaveText([`written with ${config}`])
    // ...and so does signing out, by the form alone.
    await page.goto(`${HOME}?config=${config}`)
    await page.waitForLoadState('load')
    await page.locator('[data-session-vault-logout]').click()
    await expect(page).toHaveURL(SIGNED_OUT)
    await expect(page.locator('#signed-out')).toBeVisible()
    expect((await server.counters()).classicLogout).toBe(1)
    expect(await context.cookies(ORIGIN)).toEqual([])
    expect(watched.pageErrors).toEqual([])
  })
}

test('data-config naming no element: one clear console error, a session-vault:error event, the page works', async ({
  classicRecords: records,
  page,
}) => {
  const watched = watchErrors(page)
  await page.goto(`${ORIGIN}/e2e/classic/missing-config.html`)
  await page.waitForLoadState('load')
  await page.waitForTimeout(SETTLE_MS)
  await expect(page.locator('#page-ok')).toBeVisible()
  expect(watched.pageErrors).toEqual([])
  expect(watched.consoleErrors).toHaveLength(1)
  expect(watched.consoleErrors[0]).toMatch(/^session-vault: data-config .*#no-such-config/)
  expect(eventsOf(records, 'error').map(r => r.detail?.code)).toEqual(['ERR_BAD_OPTIONS'])
  await expectNoSdkSession(page)
  // The logout button does nothing (and throws nothing) without a session.
  await page.locator('[data-session-vault-logout]').click()
  await page.waitForTimeout(100)
  expect(watched.pageErrors).toEqual([])
})
