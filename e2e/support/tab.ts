// The contract of a scenario that both runners run: the Playwright specs (Chromium,
// Firefox) and the WebKit WebDriver suite (e2e/webkit). A shared scenario
// (e2e/support/*-scenarios.ts) is written once against a `Tab` and an `Expect`;
// each runner hands it its own: `playwrightTab(page, server)` from
// support/scenario.ts with Playwright's expect, `webkitTab(wk)` from
// e2e/webkit/driver.ts with vitest's expect. Page-side steps come from
// e2e/support/scenarios.js, which both runners install in the page.
import type { Counters } from './reference.mjs'
import type { Info, Scenarios, SessionEventRecord } from './window.js'

/** The matchers a shared scenario uses: the part Playwright's and vitest's `expect` have in common. */
export interface Matchers {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toMatchObject(expected: object): void
  toContain(expected: unknown): void
  toMatch(expected: RegExp | string): void
  toBeGreaterThan(expected: number): void
  toBeGreaterThanOrEqual(expected: number): void
  toBeLessThan(expected: number): void
  toBeLessThanOrEqual(expected: number): void
  toBeUndefined(): void
  toBeTruthy(): void
  toHaveLength(expected: number): void
  not: Matchers
}

/** Playwright's or vitest's `expect`, as a shared scenario calls it. */
export interface Expect {
  (actual: unknown, message?: string): Matchers
  arrayContaining(expected: unknown[]): unknown
}

/** One signed-in browser tab, as a shared scenario drives it. */
export interface Tab {
  /** The app's origin as the browser sees it. */
  origin: string
  /** `window.svScenarios[name](...args)` in the page (e2e/support/scenarios.js). */
  step<T = unknown>(name: keyof Scenarios & string, ...args: unknown[]): Promise<T>
  state(): Promise<string>
  events(name?: string): Promise<SessionEventRecord[]>
  /** `session.fetch(url, init)` in the page: status and text, or the error as data. */
  vaultFetch(
    url: string,
    init?: { method?: string; body?: string; headers?: Record<string, string> },
  ): Promise<{ ok: boolean; value?: { status: number; text: string }; error?: unknown }>
  /** What `session.info` says in the page. */
  info(): Promise<Info>
  /** The reference server's test-support routes (support/server.ts in Playwright, webkit/driver.ts in WebKit). */
  server: ServerControl
}

/** The part of the two runners' TestServer classes a shared scenario uses. */
export interface ServerControl {
  /** The tokens the server issued since the reset: the current ones and all of them. */
  tokens(): Promise<{ accessToken: string; refreshToken: string; all: string[] }>
  counters(): Promise<Counters>
  post(path: string, data?: unknown): Promise<void>
  /** A test-support route's JSON answer. */
  get<T>(path: string): Promise<T>
}

/** Polls `read` until `check` passes or `timeout` ms pass; resolves the last value (the caller asserts on it). */
export async function poll<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeout = 5_000,
  every = 50,
): Promise<T> {
  const end = Date.now() + timeout
  for (;;) {
    const value = await read()
    if (check(value) || Date.now() > end) return value
    await new Promise(resolve => setTimeout(resolve, every))
  }
}
