// Issue 11, item 3: a session revoked elsewhere is noticed while the user is idle. The
// monitor's status check (one tab at a time) never counts as activity and never slides the
// server's idle deadline; a 401 ends the session in every tab with reason `server`.
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login, TOKEN_AUTH } from '../support/harness.js'
import { waitForEvent } from '../support/idle.js'
import { openSignedInTabs, openTab } from '../support/termination.js'
import { PROMPT_MS } from '../support/timeouts.js'

const INTERVAL_MS = 2_000
const MONITORED = {
  auth: { ...TOKEN_AUTH, statusUrl: '/auth/status' },
  monitor: { interval: INTERVAL_MS, onFocus: false },
  idle: { timeout: '15m', warnBefore: '1m' },
}

interface Listed {
  current: boolean
  lastSeenAt: number
  idleExpiresAt: number
}

/** Another browser profile where alice signs in: the place a user signs out "everywhere else" from. */
async function otherBrowser(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext()
  const { page } = await openTab(context)
  expect(await login(page)).toEqual({ ok: true })
  return { context, page }
}

/** The library's sessions list (with each session's deadlines) as the other browser sees it, without its own. */
function othersSessions(page: Page): Promise<Listed[]> {
  return page.evaluate(async () => {
    const { sessions } = await (await window.session.fetch('/auth/sessions')).json()
    return (sessions as Listed[]).filter(s => !s.current)
  })
}

test('an idle tab notices "sign out other sessions" within an interval, reason server, and the checks never slid the deadline', async ({
  browser,
  context,
  server,
}) => {
  const { page: idle } = await openTab(context, MONITORED)
  expect(await login(idle)).toEqual({ ok: true })
  const other = await otherBrowser(browser)
  try {
    const [before] = await othersSessions(other.page)
    expect(typeof before?.idleExpiresAt, 'the list shows the idle deadline').toBe('number')
    await idle.waitForTimeout(2.5 * INTERVAL_MS)
    expect((await server.counters()).status, 'status checks while idle').toBeGreaterThanOrEqual(2)
    const [after] = await othersSessions(other.page)
    expect(after!.idleExpiresAt, 'the status checks did not slide the idle deadline').toBe(before!.idleExpiresAt)
    expect(after!.lastSeenAt).toBe(before!.lastSeenAt)
    expect(await idle.evaluate(() => window.session.state)).toBe('authenticated')

    const revoked = await other.page.evaluate(
      async () => (await window.session.fetch('/api/sessions/revoke-others', { method: 'POST' })).status,
    )
    expect(revoked).toBe(200)
    const revokedAt = await other.page.evaluate(() => Date.now())
    const ended = await waitForEvent(idle, 'logout', INTERVAL_MS + PROMPT_MS)
    expect(ended.payload).toMatchObject({ reason: 'server' })
    expect(ended.at - revokedAt, 'ended within about one interval of the revocation').toBeLessThan(INTERVAL_MS + 1_500)
    expect(await idle.evaluate(() => window.session.state)).toBe('ended')
    expect(await other.page.evaluate(() => window.session.state)).toBe('authenticated')
  } finally {
    await other.context.close()
  }
})

test('one tab checks at a time: two tabs make about one check per interval, not two', async ({ context, server }) => {
  const { page: first } = await openTab(context, MONITORED)
  expect(await login(first)).toEqual({ ok: true })
  await openSignedInTabs(context, 1, MONITORED)
  const start = (await server.counters()).status
  await first.waitForTimeout(3 * INTERVAL_MS + INTERVAL_MS / 2)
  const checks = (await server.counters()).status - start
  expect(checks).toBeGreaterThanOrEqual(2)
  expect(checks, 'checks in three and a half intervals, two tabs').toBeLessThanOrEqual(4)
})

test('onFocus: a tab that regains focus checks at once, and a revoked session ends there', async ({
  browser,
  context,
}) => {
  const { page } = await openTab(context, { ...MONITORED, monitor: { interval: '1h' } })
  expect(await login(page)).toEqual({ ok: true })
  const other = await otherBrowser(browser)
  try {
    await other.page.evaluate(() => window.session.fetch('/api/sessions/revoke-others', { method: 'POST' }))
    await page.evaluate(() => dispatchEvent(new Event('focus')))
    const ended = await waitForEvent(page, 'logout', PROMPT_MS)
    expect(ended.payload).toMatchObject({ reason: 'server' })
  } finally {
    await other.context.close()
  }
})

test('without the monitor nothing polls, and the revoked idle tab stays signed in until its next request', async ({
  browser,
  context,
  server,
}) => {
  const { page } = await openTab(context, { ...MONITORED, monitor: false })
  expect(await login(page)).toEqual({ ok: true })
  const other = await otherBrowser(browser)
  try {
    await other.page.evaluate(() => window.session.fetch('/api/sessions/revoke-others', { method: 'POST' }))
    await page.waitForTimeout(INTERVAL_MS + 500)
    expect((await server.counters()).status).toBe(0)
    expect(await page.evaluate(() => window.session.state)).toBe('authenticated')
    expect(await events(page, 'logout')).toEqual([])
  } finally {
    await other.context.close()
  }
})
