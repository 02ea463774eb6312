// Playwright side of the shared page-side scenario steps (e2e/support/scenarios.js):
// evaluates the script in the page (idempotent; no CSP involved) and calls one step.
// The WebKit WebDriver suite injects the same file (e2e/webkit/driver.ts).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'

const SOURCE = readFileSync(fileURLToPath(new URL('./scenarios.js', import.meta.url)), 'utf8')

/** Runs `window.svScenarios[name](...args)` in the page (installing the steps first) and resolves its result. */
export async function scenario<T = unknown>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  await page.evaluate(SOURCE)
  return page.evaluate(
    ([step, stepArgs]) => (window.svScenarios[step] as (...args: unknown[]) => unknown)(...stepArgs),
    [name, args] as const,
  ) as Promise<T>
}
