import { expect, type Page, test } from '@playwright/test'
import { startExpressApp, startFastifyApp } from './apps.mjs'

// An Express app and a Fastify app mount session-vault/server and pass the
// SDK's token-mode and cookie-mode flows in a real browser.
type App = { url: string; close(): Promise<void> }

const TOKEN_AUTH = {
  type: 'token',
  loginUrl: '/auth/login',
  refreshUrl: '/auth/refresh',
  logoutUrl: '/auth/logout',
  keepaliveUrl: '/auth/keepalive',
}
const COOKIE_AUTH = {
  type: 'cookie',
  sessionUrl: '/auth/session',
  keepaliveUrl: '/auth/keepalive',
  logoutUrl: '/auth/logout',
}
const IDLE = { timeout: '15m', warnBefore: '1m', keepaliveInterval: '1s' }

async function open(page: Page, app: App) {
  await page.goto(`${app.url}/e2e/support/page.html`)
  await page.waitForFunction(() => window.harnessReady === true)
}

async function me(page: Page, method = 'GET') {
  return page.evaluate(async m => {
    const r = await window.session.fetch('/api/me', { method: m })
    return { status: r.status, body: await r.json() }
  }, method)
}

async function counters(app: App): Promise<Record<string, number>> {
  return (await fetch(`${app.url}/test/counters`)).json()
}

for (const [name, startApp] of [
  ['Express', startExpressApp],
  ['Fastify', startFastifyApp],
] as const) {
  test.describe(`${name} app with session-vault/server`, () => {
    const apps: Partial<Record<'token' | 'cookie', App>> = {}
    test.beforeAll(async () => {
      apps.token = await startApp('token')
      apps.cookie = await startApp('cookie')
    })
    test.afterAll(async () => {
      await apps.token?.close()
      await apps.cookie?.close()
    })

    test('token mode: login, API, restore through the refresh cookie, keepalive, logout', async ({ page }) => {
      const app = apps.token!
      const violations: string[] = []
      page.on('console', m => m.type() === 'error' && violations.push(m.text()))
      await open(page, app)
      expect(await page.evaluate(auth => window.start({ auth, dialog: false }), TOKEN_AUTH)).toEqual({
        state: 'anonymous',
      })
      await page.evaluate(() => window.session.login({ username: 'alice', password: 'correct horse' }))
      expect(await page.evaluate(() => window.session.state)).toBe('authenticated')
      expect(await me(page)).toMatchObject({ status: 200, body: { userId: 'u-alice', claims: { name: 'alice' } } })

      await page.reload()
      await page.waitForFunction(() => window.harnessReady === true)
      const before = await counters(app)
      expect(await page.evaluate(o => window.start(o), { auth: TOKEN_AUTH, dialog: false, idle: IDLE })).toEqual({
        state: 'authenticated',
      })
      expect((await counters(app)).refresh).toBe((before.refresh ?? 0) + 1)
      expect(await me(page, 'POST')).toMatchObject({ status: 200, body: { userId: 'u-alice', method: 'POST' } })

      await page.evaluate(() => window.session.extend())
      await expect.poll(async () => (await counters(app))['hit /auth/keepalive'] ?? 0).toBeGreaterThanOrEqual(1)

      await page.evaluate(() => window.session.logout())
      const logout = await page.evaluate(() => window.events.find(e => e.name === 'logout')?.payload)
      expect(logout).toMatchObject({ reason: 'user', serverConfirmed: true })
      expect((await counters(app)).logout).toBe(1)
      await page.reload()
      await page.waitForFunction(() => window.harnessReady === true)
      expect(await page.evaluate(auth => window.start({ auth, dialog: false }), TOKEN_AUTH)).toEqual({
        state: 'anonymous',
      })
      expect((await counters(app)).request_rejected ?? 0).toBe(0)
      expect(violations.filter(v => /Content Security Policy|Trusted Type/i.test(v))).toEqual([])
    })

    test('cookie mode: sign-in, CSRF-protected API call through the vault, keepalive, logout', async ({ page }) => {
      const app = apps.cookie!
      await open(page, app)
      const login = await page.evaluate(async () => {
        const r = await fetch('/auth/login', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Session-Vault': '1' },
          body: JSON.stringify({ username: 'bob', password: 'battery staple' }),
        })
        return r.status
      })
      expect(login).toBe(200)
      expect(await page.evaluate(o => window.start(o), { auth: COOKIE_AUTH, dialog: false, idle: IDLE })).toEqual({
        state: 'authenticated',
      })
      expect(await me(page, 'POST')).toMatchObject({ status: 200, body: { userId: 'u-bob', method: 'POST' } })
      const forged = await page.evaluate(async () => (await fetch('/api/me', { method: 'POST' })).status)
      expect(forged).toBe(403)
      await page.evaluate(() => window.session.extend())
      await expect.poll(async () => (await counters(app))['hit /auth/keepalive'] ?? 0).toBeGreaterThanOrEqual(1)
      await page.evaluate(() => window.session.logout())
      const logout = await page.evaluate(() => window.events.find(e => e.name === 'logout')?.payload)
      expect(logout).toMatchObject({ reason: 'user', serverConfirmed: true })
      expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401)
      expect((await counters(app)).request_rejected ?? 0).toBe(0)
    })
  })
}
