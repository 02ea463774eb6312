// Playwright side of the shared page-side scenario steps (e2e/support/scenarios.js):
// evaluates the script in the page (idempotent; no CSP involved) and calls one step.
// The WebKit WebDriver suite injects the same file (e2e/webkit/driver.ts).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { events, info, state, vaultFetch } from './harness.js'
import { ORIGIN, type TestServer } from './server.js'
import type { Tab } from './tab.js'

const SOURCE = readFileSync(fileURLToPath(new URL('./scenarios.js', import.meta.url)), 'utf8')

/** Runs `window.svScenarios[name](...args)` in the page (installing the steps first) and resolves its result. */
export async function scenario<T = unknown>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  await page.evaluate(SOURCE)
  return page.evaluate(
    ([step, stepArgs]) => (window.svScenarios[step] as (...args: unknown[]) => unknown)(...stepArgs),
    [name, args] as const,
  ) as Promise<T>
}

/** A Playwright page as the shared scenarios (support/*-scenarios.ts) drive it; the WebKit suite's is `webkitTab`. */
export function playwrightTab(page: Page, server: TestServer): Tab {
  return {
    origin: ORIGIN,
    step: (name, ...args) => scenario(page, name, ...args),
    state: () => state(page),
    events: name => events(page, name),
    vaultFetch: (url, init) => vaultFetch(page, url, init),
    info: () => info(page),
    server,
  }
}
