import { randomBytes } from 'node:crypto'
import type { BrowserContext } from '@playwright/test'
import {
  fromNode,
  HOME,
  LOGIN,
  SESSION_COOKIE,
  sessionCookieValue,
  sessionOf,
  signInClassic,
  submitClassicLogin,
} from '../classic/support.js'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'

/**
 * Plants a session cookie the way an attacker with a cookie-setting foothold
 * would (HttpOnly, Secure, host-only, Path=/, as a `__Host-` name requires).
 * By domain and path rather than `url`: with an http:// `url` Playwright
 * forces `secure: false`, and Chromium refuses a `__Host-` cookie without Secure.
 */
async function plant(context: BrowserContext, value: string): Promise<void> {
  const domain = new URL(ORIGIN).hostname
  await context.addCookies([
    { name: SESSION_COOKIE, value, domain, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' },
  ])
  expect(await sessionCookieValue(context)).toBe(value)
}

/** A cookie value makes no session: the session check says anonymous and the notes page sends the browser to the login page. */
async function expectRejected(value: string, label: string): Promise<void> {
  expect(await sessionOf(value), `${label}: /classic/session`).toEqual({ authenticated: false })
  const home = await fromNode('/classic/', value)
  expect(home.status, `${label}: GET /classic/`).toBe(303)
  expect(home.headers.get('location'), `${label}: GET /classic/`).toBe('/classic/login')
  const api = await fromNode('/classic/api/notes', value)
  expect(api.status, `${label}: GET /classic/api/notes`).toBe(401)
}

/** Control: a value the server issued at a login works from Node as well. */
async function expectAccepted(value: string, label: string): Promise<void> {
  expect(await sessionOf(value), label).toMatchObject({ authenticated: true })
  const home = await fromNode('/classic/', value)
  expect(home.status, `${label}: GET /classic/`).toBe(200)
  expect(await home.text()).toContain('Signed in as')
}

test('a session cookie planted before login is replaced at login and never accepted', async ({
  server,
  context,
  page,
}) => {
  // Same shape as a real id (32 random bytes, base64url), so only "the server did not issue it" can reject it.
  const planted = randomBytes(32).toString('base64url')
  await expectRejected(planted, 'planted, before login')

  // Planted before the login page, and again just before the form is sent (the login POST carries it).
  await plant(context, planted)
  await page.goto(LOGIN)
  await plant(context, planted)
  const loginPost = page.waitForRequest(r => r.method() === 'POST' && r.url() === LOGIN)
  await submitClassicLogin(page)
  // The login request did carry the planted cookie.
  expect(await (await loginPost).headerValue('cookie')).toContain(`${SESSION_COOKIE}=${planted}`)
  expect((await server.counters()).classicLogin).toBe(1)

  const issued = await sessionCookieValue(context)
  expect(issued).toBeTruthy()
  expect(issued).not.toBe(planted)
  const cookie = (await context.cookies(ORIGIN)).find(c => c.name === SESSION_COOKIE)
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/', expires: -1 })
  await expectAccepted(issued!, 'issued at login')
  await expectRejected(planted, 'planted, after login')

  // Put back in the browser after login, the planted value does not sign anyone in either.
  await plant(context, planted)
  await page.goto(HOME)
  await expect(page).toHaveURL(LOGIN)
  await expect(page.getByText('Signed in as')).toHaveCount(0)
  // ...and the server told the browser to drop it.
  expect(await sessionCookieValue(context)).toBeUndefined()
  await expectAccepted(issued!, 'issued at login, after the planted one came back')
})

test('a second login issues a new session id and the one from before is rejected', async ({
  server,
  context,
  page,
}) => {
  await signInClassic(page)
  const first = await sessionCookieValue(context)
  await expectAccepted(first!, 'first login')

  // Signing in again from the same browser (the old cookie comes along with the login POST).
  await signInClassic(page)
  const second = await sessionCookieValue(context)
  expect(second).toBeTruthy()
  expect(second).not.toBe(first)
  expect((await server.counters()).classicLogin).toBe(2)
  await expectAccepted(second!, 'second login')
  await expectRejected(first!, 'the cookie from before the second login')
})
