import { type Browser, type BrowserContext, chromium, firefox, type Page } from '@playwright/test'
import { withBackForwardCache } from '../support/browsers.mjs'
import { expect, test } from '../support/fixtures.js'
import { ALICE, ORIGIN } from '../support/server.js'
import { signInToSpa } from '../support/spa.js'
import { logoutIn, openTab } from '../support/termination.js'
import { SETTLE_MS, STRAGGLER_MS } from '../support/timeouts.js'

const APP = `${ORIGIN}/e2e/sdk/back-button/app.html`
const AWAY = `${ORIGIN}/e2e/sdk/back-button/away.html`
const SIGNED_OUT = `${ORIGIN}/e2e/sdk/back-button/signed-out.html`

/**
 * Records every pageshow of every document of the tab (in sessionStorage, so the record
 * survives a reload): whether it was a back/forward-cache restore and whether signed-in
 * content was on screen at that moment.
 */
async function recordPageshows(page: Page): Promise<void> {
  await page.addInitScript(() => {
    addEventListener('pageshow', event => {
      const signedIn = ['signed-in', 'private'].some(id => {
        const el = document.getElementById(id)
        return !!el && !el.hidden && (el.textContent ?? '').trim() !== ''
      })
      const shows = JSON.parse(sessionStorage.getItem('e2e-shows') ?? '[]') as unknown[]
      shows.push({ persisted: event.persisted, signedIn, path: location.pathname })
      sessionStorage.setItem('e2e-shows', JSON.stringify(shows))
    })
  })
}

interface Show {
  persisted: boolean
  signedIn: boolean
  path: string
}

/** The pageshows recorded since `forget()` (or since the logout cleared sessionStorage). */
const shows = (page: Page): Promise<Show[]> =>
  page.evaluate(() => JSON.parse(sessionStorage.getItem('e2e-shows') ?? '[]') as Show[])
const forget = (page: Page) => page.evaluate(() => sessionStorage.removeItem('e2e-shows'))

async function expectSpaSignedOut(page: Page): Promise<void> {
  await expect(page.locator('#status')).toHaveText(/^Signed out/)
  await expect(page.locator('#signed-out')).toBeVisible()
  await expect(page.getByText('Signed in as')).toBeHidden()
  await expect(page.locator('#who')).toHaveText('')
  await expect(page.locator('#notes li')).toHaveCount(0)
}

/** The back-button app (e2e/back-button/app.html), signed in through the SDK. */
async function signInToApp(page: Page, url = APP): Promise<void> {
  await page.goto(url)
  await page.waitForFunction(() => window.appReady === true)
  await page.evaluate(c => window.session.login(c), ALICE)
  await expect(page.getByText('Private notes of alice')).toBeVisible()
}

/** `session.logout()` in the back-button app; its redirect may destroy the page's context before evaluate returns. */
async function appLogout(page: Page): Promise<void> {
  await page
    .evaluate(() => window.session.logout())
    .catch((error: Error) => {
      if (!/context was destroyed|navigat/i.test(error.message)) throw error
    })
}

/**
 * The back button, without waiting for a load event: a bfcache restore has none, and
 * Playwright's goBack() can wait for ever on one in Firefox.
 */
async function goBack(page: Page): Promise<void> {
  await page.evaluate(() => setTimeout(() => history.back(), 0))
}

/** After going back, wait until whatever document is shown has settled (app ready, or another page). */
async function settle(page: Page): Promise<void> {
  // No load event after a bfcache restore: poll the document instead.
  await page.waitForTimeout(STRAGGLER_MS)
  await page.waitForFunction(
    () => document.readyState !== 'loading' && (!document.getElementById('status') || window.appReady === true),
    undefined,
    { timeout: 5_000 },
  )
}

test.describe('back/forward cache on', () => {
  // Playwright's browsers start with the back/forward cache off; these tests need one with it on.
  let browser: Browser
  let context: BrowserContext
  let page: Page
  test.beforeAll(async ({ browserName }) => {
    test.skip(browserName === 'webkit', 'WebKit runs in its own WebDriver suite')
    const engine = browserName === 'firefox' ? firefox : chromium
    browser = await engine.launch(withBackForwardCache(browserName as 'chromium' | 'firefox'))
  })
  test.afterAll(async () => {
    await browser?.close()
  })
  test.beforeEach(async () => {
    context = await browser.newContext()
    page = await context.newPage()
  })
  test.afterEach(async () => {
    await context?.close()
  })

  test('demo SPA: sign out, go elsewhere, back: restored from bfcache, signed out', async ({ browserName }) => {
    // After this page's bfcache restore (the SDK then reloads it), Playwright 1.64's BiDi driver never
    // finishes tracking the navigation in Firefox: every locator waits for ever. The back-button app
    // tests below cover the restore in Firefox; the WebKit suite covers it in WebKit.
    test.skip(browserName === 'firefox', "Playwright's Firefox driver loses this page after a bfcache restore")
    await recordPageshows(page)
    // Chromium can say why a page was not restored from the cache (a diagnostic only).
    const why: unknown[] = []
    if (browserName === 'chromium') {
      const cdp = await context.newCDPSession(page)
      await cdp.send('Page.enable')
      cdp.on('Page.backForwardCacheNotUsed', e => why.push(e.notRestoredExplanations))
    }
    await signInToSpa(page)
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await expectSpaSignedOut(page)
    // The SPA starts a fresh session after logout: let its start-up refresh call finish, so no
    // request is in flight when the page enters the bfcache (that would evict it).
    await page.evaluate(() => window.session.ready)
    await page.waitForTimeout(SETTLE_MS)
    await forget(page)
    await page.goto(AWAY)
    await goBack(page)
    // Read from the document: Playwright's URL tracking misses bfcache restores in Firefox.
    await expect.poll(() => page.evaluate(() => location.href).catch(() => '')).toBe(`${ORIGIN}/`)
    await expectSpaSignedOut(page)
    // Restored from the cache with the signed-out view; the SDK may then reload the page
    // (the ended session leaves), which must come up signed out too.
    await expect
      .poll(async () => (await shows(page)).filter(show => show.path === '/').length, {
        message: `a pageshow of / after back (bfcache not used: ${JSON.stringify(why)})`,
      })
      .toBeGreaterThan(0)
    await expectSpaSignedOut(page)
    const back = (await shows(page)).filter(show => show.path === '/')
    expect(back[0], `restored from the bfcache (${JSON.stringify(back)}, not used: ${JSON.stringify(why)})`).toEqual({
      persisted: true,
      signedIn: false,
      path: '/',
    })
    for (const show of back) expect(show.signedIn, JSON.stringify(back)).toBe(false)
  })

  test('logout.redirectTo: back from the signed-out page never reaches signed-in content', async () => {
    await recordPageshows(page)
    await page.goto(AWAY)
    await signInToApp(page)
    await appLogout(page)
    await page.waitForURL(SIGNED_OUT)
    await goBack(page)
    await settle(page)
    // location.replace() took the app's entry out of history: back lands before it.
    await expect(page).toHaveURL(AWAY)
    await expect(page.getByText('Private notes')).toBeHidden()
  })

  test('a page left signed in, then logged out from another tab: back shows no signed-in content', async () => {
    await recordPageshows(page)
    await signInToApp(page)
    await page.click('#away')
    await page.waitForURL(AWAY)
    await forget(page)
    // The app sits in the back/forward cache, signed in; another tab ends the session.
    const { page: other, state } = await openTab(context)
    expect(state).toBe('authenticated')
    expect(await logoutIn(other)).toEqual({ ok: true })
    await goBack(page)
    await settle(page)
    await expect(page.getByText('Private notes')).toBeHidden()
    const back = (await shows(page)).filter(show => show.path === '/e2e/sdk/back-button/app.html')
    expect(back.length).toBeGreaterThan(0)
    for (const show of back) expect(show.signedIn, JSON.stringify(back)).toBe(false)
    expect(await page.evaluate(() => window.session?.state ?? 'none')).not.toMatch(/authenticated|warning/)
  })

  test('page that keeps its content on logout (no redirectTo): restored from bfcache, the SDK leaves it', async () => {
    await recordPageshows(page)
    await signInToApp(page, `${APP}?static`)
    await appLogout(page)
    await expect(page.locator('#status')).toHaveText('Signed in.')
    // Like a server-rendered page, the app leaves its content; the SDK owns the back-button safety.
    await forget(page)
    await page.goto(AWAY)
    await goBack(page)
    await settle(page)
    const seen = JSON.stringify({ shows: await shows(page), state: await page.evaluate(() => window.session?.state) })
    await expect(page.getByText('Private notes'), `signed-in content after back ${seen}`).toBeHidden({ timeout: 2_000 })
    expect(await page.evaluate(() => window.session?.state ?? 'none'), 'the ended page was left').not.toBe('ended')
    const back = (await shows(page)).filter(show => show.path === '/e2e/sdk/back-button/app.html')
    expect(back.at(-1), `the page finally shown is a fresh, signed-out load ${JSON.stringify(back)}`).toEqual({
      persisted: false,
      signedIn: false,
      path: '/e2e/sdk/back-button/app.html',
    })
  })
})

test.describe('back/forward cache off (Playwright default)', () => {
  test('demo SPA: sign out, go elsewhere, back (page loaded again): signed out', async ({ page }) => {
    await recordPageshows(page)
    await signInToSpa(page)
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await expectSpaSignedOut(page)
    await forget(page)
    await page.goto(AWAY)
    await page.goBack()
    await expectSpaSignedOut(page)
    await expect(page.locator('#status')).toHaveText('Signed out.')
    expect((await shows(page)).filter(show => show.path === '/')).toEqual([
      { persisted: false, signedIn: false, path: '/' },
    ])
  })
})
