import type { Browser, BrowserContext, Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login } from '../support/harness.js'
import { fetchOutcome, openSignedInTabs, openTab, waitForEvents } from '../support/termination.js'

const IDLE = { idle: { timeout: '15m', warnBefore: '1m' } }

/** Context A: alice signed in in one tab, a second tab restored from the refresh cookie. */
async function twoTabs(context: BrowserContext, options: Record<string, unknown> = {}): Promise<[Page, Page]> {
  const { page: first } = await openTab(context, options)
  expect(await login(first)).toEqual({ ok: true })
  const [second] = await openSignedInTabs(context, 1, options)
  return [first, second!]
}

/** Context B (another browser profile): alice signs in through the SDK and signs out every other session. */
async function revokeOthersFrom(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  const { page } = await openTab(context)
  expect(await login(page)).toEqual({ ok: true })
  const answer = await page.evaluate(async () => {
    const response = await window.session.fetch('/api/sessions/revoke-others', { method: 'POST' })
    return { status: response.status, body: await response.json() }
  })
  expect(answer).toEqual({ status: 200, body: { ok: true, revoked: 1 } })
  return { context, page }
}

/** Waits (generously) for one logout in each tab; fails if any came more than `within` ms after the first. */
async function logoutsOf(tabs: Page[], within = 2_000) {
  const all = await Promise.all(tabs.map(tab => waitForEvents(tab, 'logout', 7_000).catch(() => events(tab))))
  const logouts = all.map(recorded => recorded.filter(event => event.name === 'logout'))
  const stamps = logouts.map(list => list[0]?.at ?? Infinity)
  const first = Math.min(...stamps)
  for (const [i, list] of logouts.entries()) {
    expect(list, `tab A${i + 1}: one logout (events: ${JSON.stringify(all[i])})`).toHaveLength(1)
    expect(stamps[i]! - first, `tab A${i + 1} ended ${stamps[i]! - first} ms after the first tab`).toBeLessThan(within)
  }
  return logouts.map(list => list[0]!)
}

test('"sign out other sessions" from another browser ends the session in every tab here, reason server', async ({
  browser,
  context,
}) => {
  const [a1, a2] = await twoTabs(context)
  for (const tab of [a1, a2]) expect(await fetchOutcome(tab)).toEqual({ status: 200 })
  const other = await revokeOthersFrom(browser)
  try {
    // Nothing told context A yet: its next call finds out.
    expect(await a1.evaluate(() => window.session.state)).toBe('authenticated')
    const next = await fetchOutcome(a1)
    expect([{ status: 401 }, { code: 'ERR_SESSION_ENDED' }]).toContainEqual(next)
    const logouts = await logoutsOf([a1, a2])
    for (const [i, tab] of [a1, a2].entries()) {
      expect(logouts[i]!.payload.reason, `tab A${i + 1}`).toBe('server')
      expect(await tab.evaluate(() => window.session.state)).toBe('ended')
      expect(await fetchOutcome(tab), `tab A${i + 1}`).toEqual({ code: 'ERR_SESSION_ENDED' })
    }
    // The session that did the revoking lives on.
    expect(await fetchOutcome(other.page)).toEqual({ status: 200 })
    expect(await other.page.evaluate(() => window.session.state)).toBe('authenticated')
    expect(await events(other.page, 'logout')).toHaveLength(0)
  } finally {
    await other.context.close()
  }
})

test('revoked elsewhere: the next keepalive (extend) ends the session in every tab, reason server', async ({
  server,
  browser,
  context,
}) => {
  const [a1, a2] = await twoTabs(context, IDLE)
  const other = await revokeOthersFrom(browser)
  try {
    const before = await server.counters()
    await a2.evaluate(() => window.session.extend())
    expect((await server.counters()).keepalive).toBeGreaterThan(before.keepalive)
    const logouts = await logoutsOf([a1, a2])
    for (const [i, tab] of [a1, a2].entries()) {
      expect(logouts[i]!.payload.reason, `tab A${i + 1}`).toBe('server')
      expect(await fetchOutcome(tab)).toEqual({ code: 'ERR_SESSION_ENDED' })
    }
    expect(await fetchOutcome(other.page)).toEqual({ status: 200 })
  } finally {
    await other.context.close()
  }
})
