// The script tag with cookie mode in WebKit: the server-rendered /classic/
// pages add the SDK with one <script src=".../session-vault.iife.min.js"
// data-config> and a JSON config; no token exists in the browser at all.
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { PROMPT_MS, STRAGGLER_MS } from '../support/timeouts.js'
import { poll, useWebKit } from './driver.js'

const wk = useWebKit()

const SIGNED_OUT = () => `${wk.origin}/classic/login?signed-out=1`

/** Cookie mode's one sign-in in WebKit (as signInClassic in e2e/classic/support.ts): through the login form (real typing and a real click); lands on /classic/ with the SDK running. */
async function signInClassic(): Promise<void> {
  await wk.classicSignedIn()
  expect(await wk.driver.findElement(By.css('#signed-in-as')).getText()).toBe('Signed in as Alice Liddell')
  expect(await wk.run(() => window.SessionVault.current!.info.authenticated)).toBe(true)
  const cookie = (await wk.cookies()).find(c => c.name === '__Host-sv_s')
  expect(cookie, 'the session cookie').toMatchObject({ httpOnly: true, secure: true })
}

describe('WebKit: script tag, cookie mode', () => {
  test('form sign-in, the script tag starts the SDK, the idle dialog opens and the automatic logout ends the session', async () => {
    await wk.server.reset({ idleTimeout: 3 }) // the pages configure idle 3 s, the warning 0.75 s ahead
    await signInClassic()
    expect((await wk.server.counters()).classicLogin).toBe(1)
    // No token in the browser: the session is the HttpOnly cookie; the page's view shows none.
    expect(await wk.run(() => document.cookie)).toBe('')

    const dialog = await poll(
      () =>
        wk.run(() => window.svScenarios.dialogSnapshot()) as Promise<{
          open: boolean
          role: string
          reason: string
        } | null>,
      d => d?.open === true,
      4_000,
      50,
    )
    expect(dialog).toMatchObject({ open: true, role: 'alertdialog', reason: 'idle' })
    expect((await wk.server.counters()).classicLogout).toBe(0)

    // Nobody moves: the SDK logs out by itself and replaces the page with the signed-out page.
    await wk.driver.wait(until.urlIs(SIGNED_OUT()), PROMPT_MS)
    expect(await wk.driver.findElement(By.css('#signed-out')).getText()).toBe('You have been signed out.')
    const counters = await wk.server.counters()
    expect(counters.classicLogout).toBe(1)
    expect(counters.csrfRejected).toBe(0)
    expect(await wk.cookies()).toEqual([])
  })

  test('the sign-out button ends the session in every tab through the SDK, with one server call; back shows no signed-in page', async () => {
    await signInClassic()
    // A signed-in page behind the one the SDK will replace: back must not show it again.
    await wk.go('/classic/other')
    await wk.waitInPage(() => window.SessionVault?.current?.state === 'authenticated', [], PROMPT_MS)
    const first = await wk.driver.getWindowHandle()
    await wk.driver.switchTo().newWindow('tab')
    const second = await wk.driver.getWindowHandle()
    await wk.driver.get(`${wk.origin}/classic/other`)
    await wk.waitInPage(() => window.SessionVault?.current?.state === 'authenticated', [], PROMPT_MS)

    await wk.driver.switchTo().window(first)
    await wk.driver.findElement(By.css('[data-session-vault-logout]')).click()
    await wk.driver.wait(until.urlIs(SIGNED_OUT()), PROMPT_MS)
    await wk.driver.switchTo().window(second)
    await wk.driver.wait(until.urlIs(SIGNED_OUT()), PROMPT_MS)
    expect(await wk.driver.findElements(By.css('#signed-in-as'))).toEqual([])

    // One server logout (the SDK's; the other tab heard it over BroadcastChannel); the session cookie is gone.
    await new Promise(resolve => setTimeout(resolve, STRAGGLER_MS))
    expect((await wk.server.counters()).classicLogout).toBe(1)
    expect((await wk.cookies()).map(c => c.name)).not.toContain('__Host-sv_s')
    // Back (in the first tab): the signed-in page was no-store, so the server is asked again and sends the login page.
    await wk.driver.switchTo().window(first)
    await wk.driver.navigate().back()
    await wk.driver.wait(until.urlContains('/classic/login'), PROMPT_MS)
    expect(await wk.driver.findElements(By.css('#signed-in-as'))).toEqual([])
  })

  // WebKit ignores Clear-Site-Data on a redirect response, so /classic/logout answers the SDK's own
  // call (it carries Session-Vault: 1) with a 200 + Clear-Site-Data; a plain form post still gets the 303.
  // Fails in WebKit when the SDK's call is answered with the 303.
  test('after the cookie-mode logout nothing of the origin is left (Clear-Site-Data on the SDK call)', async () => {
    await signInClassic()
    await wk.run(() => window.svScenarios.seedAppStorage('classic', '/classic/api/notes'))
    await wk.driver.findElement(By.css('[data-session-vault-logout]')).click()
    await wk.driver.wait(until.urlIs(SIGNED_OUT()), PROMPT_MS)
    expect((await wk.server.counters()).classicLogout).toBe(1)
    expect(await wk.cookies()).toEqual([])
    expect(await wk.run(() => window.svScenarios.browserStorage())).toEqual({
      localStorage: [],
      sessionStorage: [],
      databases: [],
      caches: [],
      documentCookie: '',
    })
  })
})
