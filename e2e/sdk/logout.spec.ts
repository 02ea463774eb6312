import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login } from '../support/harness.js'
import { fetchOutcome, logoutIn, openSignedInTabs, openTab, pageNow, waitForEvents } from '../support/termination.js'
import { CROSS_TAB_MS, STRAGGLER_MS } from '../support/timeouts.js'

const TABS = 10

/** Signs in in a first tab, then opens `count - 1` more tabs that restore the session at start-up. */
async function signedInTabs(context: import('@playwright/test').BrowserContext, count: number): Promise<Page[]> {
  const { page: first, state } = await openTab(context)
  expect(state).toBe('anonymous')
  expect(await login(first)).toEqual({ ok: true })
  return [first, ...(await openSignedInTabs(context, count - 1))]
}

test('logout in one of ten tabs ends the session in all of them within a second, with one server call', async ({
  server,
  context,
}) => {
  const tabs = await signedInTabs(context, TABS)
  for (const tab of tabs) expect((await fetchOutcome(tab)).status).toBe(200)

  const [initiator, ...others] = tabs as [Page, ...Page[]]
  const startedAt = await pageNow(initiator)
  expect(await logoutIn(initiator)).toEqual({ ok: true })

  const first = await events(initiator, 'logout')
  expect(first).toHaveLength(1)
  expect(first[0]!.payload).toEqual({ reason: 'user', serverConfirmed: true })
  // Wait generously, then judge the timestamps: a failure then says how late a tab was.
  const remote = await Promise.all(
    others.map(tab => waitForEvents(tab, 'logout', 7_000).catch(async () => events(tab))),
  )
  const stamps = [first[0]!.at]
  for (const [i, recorded] of remote.entries()) {
    const logouts = recorded.filter(event => event.name === 'logout')
    expect(logouts, `tab ${i + 2}: one logout event (events: ${JSON.stringify(recorded)})`).toHaveLength(1)
    expect(logouts[0]!.payload, `tab ${i + 2}`).toEqual({ reason: 'remote', serverConfirmed: false })
    stamps.push(logouts[0]!.at)
  }
  const latency = stamps.map(at => at - startedAt)
  for (const [i, ms] of latency.entries()) {
    expect(
      ms,
      `tab ${i + 1} reported logout ${ms} ms after logout() was called (all: ${latency.join(', ')})`,
    ).toBeLessThanOrEqual(1_000)
  }
  expect(Math.max(...stamps) - Math.min(...stamps)).toBeLessThan(1_000)

  // Give any straggler a moment to (wrongly) call the server too.
  await initiator.waitForTimeout(STRAGGLER_MS)
  const counters = await server.counters()
  expect(counters.logout).toBe(1)

  for (const [i, tab] of tabs.entries()) {
    expect(await fetchOutcome(tab), `tab ${i + 1}`).toEqual({ code: 'ERR_SESSION_ENDED' })
    expect(await tab.evaluate(() => window.session.state)).toBe('ended')
  }
  // No tab reached the server with a token after the logout.
  expect((await server.counters()).api).toBe(counters.api)
})

test('logout() twice in one tab is harmless: one logout event, one server call', async ({ server, context }) => {
  const [tab] = await signedInTabs(context, 1)
  const results = await tab!.evaluate(async () => {
    const session = window.session
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        e => `rejected ${e?.code}`,
      )
    const both = await Promise.all([settle(session.logout()), settle(session.logout())])
    const later = await settle(session.logout())
    return [...both, later]
  })
  expect(results).toEqual(['resolved', 'resolved', 'resolved'])
  expect(await events(tab!, 'logout')).toHaveLength(1)
  expect((await events(tab!, 'logout'))[0]!.payload).toEqual({ reason: 'user', serverConfirmed: true })
  expect((await server.counters()).logout).toBe(1)
  expect(await fetchOutcome(tab!)).toEqual({ code: 'ERR_SESSION_ENDED' })
})

test('logout() in two tabs at the same moment: both end, the server is called once', async ({ server, context }) => {
  const [a, b] = (await signedInTabs(context, 2)) as [Page, Page]
  // Both tabs call logout() at the same wall-clock instant (the tabs share the clock).
  const at = (await pageNow(a)) + 400
  const schedule = (page: Page) =>
    page.evaluate(when => {
      setTimeout(() => {
        window.logoutDone = window.session.logout().then(
          () => 'resolved',
          (e: { code?: string }) => `rejected ${e?.code}`,
        )
      }, when - Date.now())
    }, at)
  await Promise.all([schedule(a), schedule(b)])
  const [logoutA] = await waitForEvents(a, 'logout', CROSS_TAB_MS)
  const [logoutB] = await waitForEvents(b, 'logout', CROSS_TAB_MS)
  for (const page of [a, b]) {
    expect(await page.evaluate(() => window.logoutDone)).toBe('resolved')
    expect(await events(page, 'logout')).toHaveLength(1)
    expect(await fetchOutcome(page)).toEqual({ code: 'ERR_SESSION_ENDED' })
  }
  const reasons = [logoutA!.payload.reason, logoutB!.payload.reason].sort()
  // Either both count as the user's own logout, or one was ended by the other's broadcast.
  expect([
    ['remote', 'user'],
    ['user', 'user'],
  ]).toContainEqual(reasons)
  expect(
    Math.abs(logoutA!.at - logoutB!.at),
    `both tabs end together (called at ${at}; A ${JSON.stringify(logoutA)}, B ${JSON.stringify(logoutB)})`,
  ).toBeLessThan(1_000)
  await a.waitForTimeout(STRAGGLER_MS)
  expect(
    (await server.counters()).logout,
    `only one tab calls the server (logout events: A ${JSON.stringify(logoutA)}, B ${JSON.stringify(logoutB)})`,
  ).toBe(1)
})
