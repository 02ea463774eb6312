import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { signIn, TOKEN_AUTH, VAULT_WITH_HOOKS, vaultHook } from '../support/harness.js'
import { type Hunt, installHunt } from '../support/hunt.js'
import {
  exerciseVault,
  huntFindsEveryLeak,
  huntFindsNothing,
  LEAK_PLACES,
  needles,
  pathsOf,
} from '../support/hunt-scenarios.js'
import { playwrightTab } from '../support/scenario.js'
import type { TestServer } from '../support/server.js'
import type { Tab } from '../support/tab.js'
import { SETTLE_MS } from '../support/timeouts.js'

// The token hunt in Chromium and Firefox: the checks every engine runs are in
// support/hunt-scenarios.ts (WebKit: e2e/webkit/hunt.wd.test.ts). Here the taps go in
// as an init script, before any page script, and Playwright also sees the consoles of
// the page and its workers ('console-node').

// Idle on, so the vault also writes its (token-free) idle state to IndexedDB
// and the hunter has a real database to search.
const IDLE = { timeout: '10m', warnBefore: '1m' }

/** Taps, sign-in, traffic through the vault (fetches, a refresh, a POST): the tab and its hunter. */
async function signedInSession(
  page: Page,
  server: TestServer,
  options: Record<string, unknown> = {},
): Promise<{ tab: Tab; hunt: Hunt }> {
  const hunt = await installHunt(page)
  await signIn(page, { idle: IDLE, ...options })
  const tab = playwrightTab(page, server)
  await exerciseVault(tab, expect)
  return { tab, hunt }
}

test('an injected script finds no token anywhere in the page', async ({ server, page }) => {
  const { tab, hunt } = await signedInSession(page, server)
  await huntFindsNothing(
    tab,
    expect,
    tokens => hunt.run(tokens),
    () => page.context().cookies(),
  )
})

test('negative check: the same hunter finds a token leaked into each place', async ({ server, page }) => {
  // The real vault with test hooks, so it can be made to leak in every engine.
  const { tab, hunt } = await signedInSession(page, server, { workerUrl: VAULT_WITH_HOOKS })
  const tokens = await needles(tab, expect)
  const { accessToken } = await server.tokens()

  // Nothing yet (same as the test above), so every finding below comes from a leak.
  expect((await hunt.run(tokens)).findings).toEqual([])

  // The leaks (globals of several shapes, the DOM, Web Storage, a cookie, IndexedDB, Cache Storage, the
  // console, MessageChannel and BroadcastChannel messages, a resource URL): one page-side step shared with
  // the WebKit suite (e2e/support/scenarios.js).
  await tab.step('leakEverywhere', accessToken)

  // The vault worker itself posts the token to the page and logs it.
  await vaultHook(page, { do: 'leak', token: accessToken })
  await page.waitForTimeout(SETTLE_MS)

  const findings = await huntFindsEveryLeak(expect, tokens => hunt.run(tokens), tokens, [
    ...LEAK_PLACES,
    'console-node',
  ])
  expect(pathsOf(findings, 'message')).toContain('worker message')
  expect(findings.filter(f => f.where === 'console').length).toBeGreaterThan(0)
  // Playwright saw both the page's console.log and the vault worker's.
  expect(findings.filter(f => f.where === 'console-node').length).toBeGreaterThanOrEqual(2)
})

test('debug: true logs the lifecycle of both threads to the console, and the hunter still finds no token there', async ({
  server,
  page,
}) => {
  const logged: string[] = []
  page.context().on('console', message => {
    if (message.text().startsWith('[session-vault]')) logged.push(message.text())
  })
  const { tab, hunt } = await signedInSession(page, server, {
    debug: true,
    auth: { ...TOKEN_AUTH, statusUrl: '/auth/status' },
    monitor: { interval: '1s' },
  })
  await page.evaluate(() => window.session.extend())
  await page.waitForTimeout(1_500)
  await huntFindsNothing(
    tab,
    expect,
    tokens => hunt.run(tokens),
    () => page.context().cookies(),
  )
  for (const event of ['vault.init', 'vault.login', 'vault.keepalive', 'vault.status', 'event.authenticated'])
    expect(
      logged.some(line => line.startsWith(`[session-vault] page ${event}`)),
      `page: ${event}`,
    ).toBe(true)
  for (const event of ['restore', 'http.login', 'http.refresh', 'lock.refresh', 'http.keepalive', 'http.status-check'])
    expect(
      logged.some(line => line.startsWith(`[session-vault] vault ${event}`)),
      `vault: ${event}`,
    ).toBe(true)

  // The logout steps too, and nothing they log holds a token either.
  const tokens = await needles(tab, expect)
  await page.evaluate(() => window.session.logout())
  await expect.poll(() => logged.some(line => line.startsWith('[session-vault] page event.logout'))).toBe(true)
  expect(logged.some(line => line.startsWith('[session-vault] vault logout'))).toBe(true)
  const { findings } = await hunt.run(tokens)
  expect(findings.filter(f => f.where.startsWith('console'))).toEqual([])
})
