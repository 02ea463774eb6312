// Helpers for the termination / cross-tab specs (logout, wipe, outage,
// back-button, server-revoke, channel-fuzz, login-sync). Node side only.
import { type BrowserContext, expect, type Page } from '@playwright/test'
import { events, openHarness, type SessionEventRecord, startSession } from './harness.js'
import { scenario } from './scenario.js'
import { ORIGIN, type TestServer } from './server.js'
import { PROMPT_MS } from './timeouts.js'

/** The SDK's default BroadcastChannel name for the test origin. */
export const CHANNEL = `session-vault:${ORIGIN}`

/** Uncaught errors and unhandled rejections of a page, collected as they happen. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', error => errors.push(`${error.name}: ${error.message}`))
  return errors
}

/** Opens the harness in a new tab of `context` and starts a session; returns the tab and its state after `ready`. */
export async function openTab(
  context: BrowserContext,
  options: Record<string, unknown> = {},
): Promise<{ page: Page; state: string }> {
  const page = await context.newPage()
  await openHarness(page)
  const result = await startSession(page, options)
  expect(result.error).toBeUndefined()
  return { page, state: result.state }
}

/** Opens `count` tabs that must all come up signed in (restored through the refresh cookie). */
export async function openSignedInTabs(
  context: BrowserContext,
  count: number,
  options: Record<string, unknown> = {},
): Promise<Page[]> {
  const pages: Page[] = []
  for (let i = 0; i < count; i++) {
    const { page, state } = await openTab(context, options)
    expect(state, `tab ${pages.length + 1} restored the session at start-up`).toBe('authenticated')
    pages.push(page)
  }
  return pages
}

/** Waits until the page has recorded at least `count` events named `name`; returns them. */
export async function waitForEvents(
  page: Page,
  name: string,
  timeout = PROMPT_MS,
  count = 1,
): Promise<SessionEventRecord[]> {
  await page.waitForFunction(([n, c]) => window.events.filter(e => e.name === n).length >= c, [name, count] as const, {
    timeout,
    polling: 20,
  })
  return events(page, name)
}

/** The page's clock (all pages of one browser share it). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => Date.now())
}

/** Calls `session.logout()` in the page; resolves when it settles, with the error as data if it rejected. */
export function logoutIn(page: Page): Promise<{ ok: boolean; error?: { code?: string; message?: string } }> {
  return page.evaluate(() => window.attempt(() => window.session.logout()))
}

/** Calls `session.logout()` in the page and measures, with the page's clock, how long it took to settle. */
export function timedLogoutIn(page: Page): Promise<{ startedAt: number; took: number; ok: boolean }> {
  return page.evaluate(async () => {
    const startedAt = Date.now()
    let ok = true
    try {
      await window.session.logout()
    } catch {
      ok = false
    }
    return { startedAt, took: Date.now() - startedAt, ok }
  })
}

/** `session.fetch(url)` in the page, reduced to the status or the error code. */
export function fetchOutcome(page: Page, url = '/api/me'): Promise<{ status?: number; code?: string }> {
  return page.evaluate(async u => {
    try {
      return { status: (await window.session.fetch(u)).status as number }
    } catch (error) {
      return { code: (error as { code?: string }).code ?? String(error) }
    }
  }, url)
}

/** Number of records in an object store, or null when the database or the store does not exist (never creates it). */
export async function countRecords(page: Page, database: string, store: string): Promise<number | null> {
  return (await storeEntries(page, database, store))?.length ?? null
}

/** Keys and values of an object store, or null when the database or the store does not exist (never creates it). */
export function storeEntries(
  page: Page,
  database: string,
  store: string,
): Promise<{ key: string; value: unknown }[] | null> {
  return scenario(page, 'storeEntries', database, store)
}

/** `logout()` in `page` while the reference server is down: it still resolves, unconfirmed. */
export async function logoutWhileServerDown(server: TestServer, page: Page): Promise<void> {
  await server.post('/test/outage', { on: true })
  try {
    expect(await logoutIn(page)).toEqual({ ok: true })
  } finally {
    await server.post('/test/outage', { on: false })
  }
  expect((await events(page, 'logout'))[0]!.payload).toEqual({ reason: 'user', serverConfirmed: false })
}
