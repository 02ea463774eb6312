import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login } from '../support/harness.js'
import { ORIGIN } from '../support/server.js'
import { browserStorage } from '../support/storage.js'
import {
  fetchOutcome,
  logoutWhileServerDown,
  openSignedInTabs,
  openTab,
  timedLogoutIn,
  waitForEvents,
} from '../support/termination.js'
import { SDK_LOGOUT_TIMEOUT_MS } from '../support/timeouts.js'

/** The SDK's LOGOUT_TIMEOUT_MS (5 s) plus slack: logout must never take longer. */
const LOGOUT_BUDGET_MS = SDK_LOGOUT_TIMEOUT_MS + 1_000
const CLEAR = { logout: { clear: { localStorage: true, sessionStorage: true } } }

async function threeSignedInTabs(context: import('@playwright/test').BrowserContext): Promise<Page[]> {
  const { page: first } = await openTab(context, CLEAR)
  expect(await login(first)).toEqual({ ok: true })
  const tabs = [first, ...(await openSignedInTabs(context, 2, CLEAR))]
  // Per-tab data: sessionStorage is per tab, so an empty one proves that tab ran its own wipe.
  for (const [i, tab] of tabs.entries()) {
    await tab.evaluate(n => {
      sessionStorage.setItem('draft', `tab ${n}`)
      localStorage.setItem(`tab-${n}`, 'seen')
    }, i)
  }
  return tabs
}

test('server down at logout: every tab still ends and wipes, serverConfirmed is false, no hang', async ({
  server,
  context,
}) => {
  const tabs = await threeSignedInTabs(context)
  const initiator = tabs[1]!

  await server.post('/test/outage', { on: true })
  try {
    const { startedAt, took, ok } = await timedLogoutIn(initiator)
    expect(ok).toBe(true)
    expect(took, `logout() took ${took} ms`).toBeLessThan(LOGOUT_BUDGET_MS)

    for (const [i, tab] of tabs.entries()) {
      const [logout, ...more] = await waitForEvents(tab, 'logout', LOGOUT_BUDGET_MS)
      expect(more).toHaveLength(0)
      expect(logout!.payload, `tab ${i + 1}`).toEqual({
        reason: tab === initiator ? 'user' : 'remote',
        serverConfirmed: false,
      })
      expect(logout!.at - startedAt, `tab ${i + 1} ended in time`).toBeLessThan(LOGOUT_BUDGET_MS)
      expect(await tab.evaluate(() => window.session.state)).toBe('ended')
      expect(await fetchOutcome(tab), `tab ${i + 1}`).toEqual({ code: 'ERR_SESSION_ENDED' })
      const storage = await browserStorage(tab)
      expect(storage.sessionStorage, `tab ${i + 1} sessionStorage`).toEqual([])
      expect(storage.localStorage, `tab ${i + 1} localStorage`).toEqual([])
    }
  } finally {
    await server.post('/test/outage', { on: false })
  }
  // Back online: the ended tabs stay ended and send nothing.
  for (const tab of tabs) expect(await fetchOutcome(tab)).toEqual({ code: 'ERR_SESSION_ENDED' })
  expect((await server.counters()).logout).toBe(0)
})

test('server that never answers the logout call: logout still ends within the timeout', async ({ context }) => {
  const tabs = await threeSignedInTabs(context)
  const initiator = tabs[0]!
  let seen = 0
  // The logout request reaches "the server" but no answer ever comes back.
  await context.route('**/auth/logout', () => {
    seen++
  })
  const { startedAt, took, ok } = await timedLogoutIn(initiator)
  expect(ok).toBe(true)
  expect(seen, 'the vault did call the logout endpoint').toBe(1)
  expect(took, `logout() took ${took} ms`).toBeLessThan(LOGOUT_BUDGET_MS)
  expect((await events(initiator, 'logout'))[0]!.payload).toEqual({ reason: 'user', serverConfirmed: false })
  for (const [i, tab] of tabs.entries()) {
    const [logout] = await waitForEvents(tab, 'logout', 1_000)
    // The broadcast goes out before the server call: the other tabs do not wait for it.
    const budget = tab === initiator ? LOGOUT_BUDGET_MS : 1_000
    expect(logout!.at - startedAt, `tab ${i + 1}`).toBeLessThan(budget)
    expect(await fetchOutcome(tab)).toEqual({ code: 'ERR_SESSION_ENDED' })
    expect((await browserStorage(tab)).sessionStorage).toEqual([])
  }
  await context.unrouteAll({ behavior: 'ignoreErrors' })
})

test('after a logout the server never confirmed, opening the app again does not sign back in', async ({
  server,
  context,
  request,
}) => {
  const { page } = await openTab(context)
  expect(await login(page)).toEqual({ ok: true })
  const { accessToken } = await server.tokens()
  await logoutWhileServerDown(server, page)
  // Clear-Site-Data never ran: the refresh cookie is still there, and the server session alive.
  expect((await context.cookies()).map(c => c.name)).toContain('__Host-sv_rt')
  expect(
    (await request.get(`${ORIGIN}/api/me`, { headers: { Authorization: `Bearer ${accessToken}` } })).status(),
  ).toBe(200)
  expect((await server.counters()).logout).toBe(0)

  // The user signed out. Back online, a new tab (or a reload, or the back button) must not
  // silently restore the session through that cookie.
  const { page: next, state } = await openTab(context)
  expect(state, 'a new tab after an unconfirmed logout').toBe('anonymous')
  expect(await events(next, 'authenticated')).toHaveLength(0)
  // ... and the logout reaches the server after all.
  const counters = await server.counters()
  expect(counters.logout, 'the pending logout was sent at start-up').toBe(1)
  expect(counters.refresh, 'no restore through the old cookie').toBe(0)
  expect(
    (await request.get(`${ORIGIN}/api/me`, { headers: { Authorization: `Bearer ${accessToken}` } })).status(),
  ).toBe(401)
  expect(await context.cookies(), 'Clear-Site-Data ran this time').toEqual([])
})
