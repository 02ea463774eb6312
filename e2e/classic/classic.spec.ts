import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'
import { browserStorage, seedAppStorage } from '../support/storage.js'
import { PROMPT_MS, STRAGGLER_MS } from '../support/timeouts.js'
import {
  eventsOf,
  HOME,
  LOGIN,
  OTHER,
  recordPages,
  SESSION_COOKIE,
  SIGNED_OUT,
  sessionCookieValue,
  signInClassic,
  waitForSdkState,
} from './support.js'

// The /classic/ pages are server-rendered, with no script of their own: the SDK
// comes from one <script src="/assets/session-vault.iife.min.js" data-config="#session-vault-config">
// and a JSON config (cookie mode, idle settings derived from the server's lifetimes:
// warnBefore = idleTimeout / 4 for short timeouts).

const dialogOf = (page: Page) => page.locator('[data-session-vault=dialog] dialog[role=alertdialog]')

/** Records left in the vault's IndexedDB database `session-vault`, or null when the database does not exist (never creates it). */
function vaultRecords(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some(db => db.name === 'session-vault')) return null
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('session-vault')
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const db = open.result
        const stores = [...db.objectStoreNames]
        if (stores.length === 0) {
          db.close()
          return resolve(0)
        }
        const tx = db.transaction(stores, 'readonly')
        let total = 0
        for (const name of stores)
          tx.objectStore(name).count().onsuccess = event => (total += (event.target as IDBRequest<number>).result)
        tx.oncomplete = () => {
          db.close()
          resolve(total)
        }
        tx.onerror = () => reject(tx.error)
      }
    })
  })
}

function pageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', error => errors.push(`${error.name}: ${error.message}`))
  return errors
}

test('form sign-in, the script tag starts the SDK, the idle warning opens and the automatic logout ends the session', async ({
  server,
  context,
  page,
}) => {
  await server.reset({ idleTimeout: 3 }) // the pages configure idle 3 s, warning 0.75 s ahead
  const records = await recordPages(context)
  const errors = pageErrors(page)

  await signInClassic(page)
  expect((await server.counters()).classicLogin).toBe(1)
  expect(await sessionCookieValue(context)).toBeTruthy()

  // One script tag started the SDK: SessionVault.current, its vault next to the script, the event on document.
  await waitForSdkState(page, 'authenticated')
  expect(page.workers().map(worker => worker.url())).toContain(`${ORIGIN}/assets/vault.worker.js`)
  await expect.poll(() => eventsOf(records, 'authenticated').length).toBe(1)
  expect(eventsOf(records, 'authenticated')[0]?.detail).toMatchObject({ authenticated: true })
  expect(await page.evaluate(() => window.SessionVault.current!.info.authenticated)).toBe(true)

  // Idle: the default dialog (open shadow root, native <dialog role=alertdialog>) opens before the deadline.
  const dialog = dialogOf(page)
  await expect(dialog).toBeVisible({ timeout: 4_000 })
  expect(await page.evaluate(() => window.SessionVault.current!.state)).toBe('warning')
  await expect(dialog.locator('[part=stay-button]')).toBeVisible()
  await expect(dialog.locator('[part=sign-out-button]')).toBeVisible()
  expect(eventsOf(records, 'warning')[0]?.detail).toMatchObject({ reason: 'idle' })
  expect((await server.counters()).classicLogout).toBe(0)

  // Nobody moves: the SDK logs out by itself and replaces the page with the signed-out page.
  await page.waitForURL(SIGNED_OUT, { timeout: PROMPT_MS })
  await expect(page.locator('#signed-out')).toHaveText('You have been signed out.')
  await expect(page.getByText('Signed in as')).toHaveCount(0)
  await expect.poll(() => eventsOf(records, 'logout').length).toBe(1)
  expect(eventsOf(records, 'logout')[0]?.detail).toEqual({ reason: 'idle', serverConfirmed: true })
  const counters = await server.counters()
  expect(counters.classicLogout).toBe(1)
  expect(counters.csrfRejected).toBe(0)
  expect(await sessionCookieValue(context)).toBeUndefined()
  expect(errors).toEqual([])
})

test('the sign-out button in one tab ends every tab; cookies and storage are gone; back shows no signed-in page', async ({
  server,
  context,
}) => {
  // start-up lifetimes: no idle logout during this test
  const records = await recordPages(context)

  // Three tabs, each on a signed-in page; a and b have a signed-in page behind them in history.
  const a = await context.newPage()
  const errors = pageErrors(a)
  await signInClassic(a)
  const signedInResponse = await a.goto(OTHER)
  expect(signedInResponse?.headers()['cache-control']).toContain('no-store')
  const b = await context.newPage()
  await b.goto(HOME)
  await b.goto(OTHER)
  const c = await context.newPage()
  await c.goto(HOME)
  const tabs = [a, b, c]
  for (const tab of tabs) {
    await expect(tab.locator('#signed-in-as')).toBeVisible()
    await waitForSdkState(tab, 'authenticated')
  }

  // App data the site's scripts wrote; the session cookie is HttpOnly (invisible to script).
  await seedAppStorage(a, 'classic', '/classic/api/notes')
  for (const tab of [b, c]) await tab.evaluate(() => sessionStorage.setItem('classic-draft', 'another tab'))
  const before = await context.cookies(ORIGIN)
  expect(before.find(cookie => cookie.name === SESSION_COOKIE)).toMatchObject({
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
  })
  expect(before.map(cookie => cookie.name)).toContain('classic_pref')
  expect((await browserStorage(a)).databases).toContain('classic-app')

  await a.locator('[data-session-vault-logout]').click()

  for (const tab of tabs) {
    await tab.waitForURL(SIGNED_OUT, { timeout: PROMPT_MS })
    await expect(tab.locator('#signed-out')).toBeVisible()
    await expect(tab.getByText('Signed in as')).toHaveCount(0)
  }
  // The SDK did it (not the form's own POST): a ended it as 'user', the others heard it as 'remote'.
  await expect.poll(() => eventsOf(records, 'logout').length).toBe(3)
  expect(eventsOf(records, 'logout', a).map(r => r.detail)).toEqual([{ reason: 'user', serverConfirmed: true }])
  for (const tab of [b, c]) expect(eventsOf(records, 'logout', tab).map(r => r.detail?.reason)).toEqual(['remote'])
  await a.waitForTimeout(STRAGGLER_MS) // a late second logout would show up here
  expect((await server.counters()).classicLogout).toBe(1)

  // Clear-Site-Data took everything of the origin: cookies (HttpOnly too) and storage.
  expect(await context.cookies(ORIGIN)).toEqual([])
  for (const [i, tab] of tabs.entries()) {
    const left = await browserStorage(tab)
    const label = `tab ${'abc'[i]}`
    // What the site wrote is gone...
    expect({ ...left, databases: left.databases.filter(name => name !== 'session-vault') }, label).toEqual({
      localStorage: [],
      sessionStorage: [],
      databases: [],
      caches: [],
      documentCookie: '',
    })
    // ...and so is the vault's own IndexedDB database: emptied, and not re-created after Clear-Site-Data
    // deleted it (soft, so the back-button checks below still run when this fails).
    expect((await vaultRecords(tab)) ?? 0, `${label}: records left in the vault's IndexedDB database`).toBe(0)
    expect.soft(left.databases, `${label}: IndexedDB databases left after logout`).toEqual([])
  }

  // Back: the signed-in pages were no-store, so the browser asks the server, which sends it to the login page.
  const shownBefore = records.filter(r => r.kind === 'pageshow').length
  for (const tab of [a, b]) {
    await tab.goBack()
    await expect(tab).toHaveURL(LOGIN)
    await expect(tab.getByText('Signed in as')).toHaveCount(0)
    await expect(tab.locator('#login-form')).toBeVisible()
  }
  const shownAfter = records.filter(r => r.kind === 'pageshow').slice(shownBefore)
  expect(shownAfter.length).toBeGreaterThanOrEqual(2)
  expect(shownAfter.filter(r => r.signedIn).map(r => r.url)).toEqual([])
  expect(errors).toEqual([])
})

test('the idle state of an earlier session is not adopted after a new sign-in by form', async ({
  server,
  context,
  page,
}) => {
  await server.reset({ idleTimeout: 3 })
  await signInClassic(page)
  await waitForSdkState(page, 'authenticated')
  // Let the vault persist its idle snapshot, then leave without signing out (the tab closes).
  await page.waitForFunction(async () => {
    const databases = await indexedDB.databases()
    return databases.some(db => db.name === 'session-vault')
  })
  await page.waitForTimeout(500)
  await page.close()
  // The server session idles out while no tab is open; the snapshot left behind is now older than the timeout.
  await new Promise(resolve => setTimeout(resolve, 3_500))

  const next = await context.newPage()
  await signInClassic(next)
  await waitForSdkState(next, 'authenticated')
  await next.waitForTimeout(1_000)
  // A stale snapshot would have ended the new session at once with reason idle.
  expect(await next.evaluate(() => window.SessionVault.current!.state)).not.toBe('ended')
  expect(next.url()).toBe(HOME)
})
