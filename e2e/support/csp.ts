import { expect, type Page } from '@playwright/test'
import type { TestServer } from './server.js'
import { STRAGGLER_MS } from './timeouts.js'

/**
 * The control of a "no CSP violation" test: feeds a Trusted Types sink a plain
 * string, which the page's CSP must block and report. Resolves whether it was blocked.
 */
export function tripTrustedTypes(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    try {
      document.body.insertAdjacentHTML('beforeend', '<b>x</b>')
      return false
    } catch {
      return true
    }
  })
}

/** Records every `securitypolicyviolation` of the page from before its scripts run; returns what reads them. */
export async function recordViolations(page: Page): Promise<() => Promise<unknown[]>> {
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string; sample: string }[] = []
    Object.defineProperty(window, '__violations', { value: seen })
    document.addEventListener('securitypolicyviolation', event => {
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample })
    })
  })
  return () => page.evaluate(() => window.__violations ?? [])
}

/**
 * Nothing was blocked, in the page (`violations`) or reported to the server (after a report's
 * time to arrive), and no page error; then the control: a Trusted Types sink fed a plain string
 * shows up in both, so those checks could fail.
 */
export async function expectNoViolations(
  page: Page,
  server: TestServer,
  violations: () => Promise<unknown[]>,
  pageErrors: string[],
): Promise<void> {
  await page.waitForTimeout(STRAGGLER_MS)
  expect(await violations()).toEqual([])
  expect((await server.counters()).cspReports).toBe(0)
  expect(pageErrors).toEqual([])
  expect(await tripTrustedTypes(page)).toBe(true)
  await expect.poll(violations).toEqual([expect.objectContaining({ directive: 'require-trusted-types-for' })])
  await expect.poll(async () => (await server.counters()).cspReports).toBeGreaterThanOrEqual(1)
}
