import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { signIn, state, VAULT_WITH_HOOKS, vaultFetch, vaultHook } from '../support/harness.js'
import { type Hunt, installHunt, placesOf } from '../support/hunt.js'
import { scenario } from '../support/scenario.js'
import type { TestServer } from '../support/server.js'
import { SETTLE_MS } from '../support/timeouts.js'

// Idle on, so the vault also writes its (token-free) idle state to IndexedDB
// and the hunter has a real database to search.
const IDLE = { timeout: '10m', warnBefore: '1m' }

/** Signs in and exercises the vault: fetches, a 401 -> refresh -> replay, a POST with a body. */
async function signedInSession(page: Page, server: TestServer, options: Record<string, unknown> = {}): Promise<Hunt> {
  const hunt = await installHunt(page)
  await signIn(page, { idle: IDLE, ...options })
  const me = await vaultFetch(page, '/api/me')
  expect(me.value?.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({ username: 'alice' })

  // A refresh cycle, so refresh traffic went through the vault (and past the taps) too.
  await server.post('/test/expire-access')
  const before = (await server.counters()).refresh
  expect((await vaultFetch(page, '/api/me')).value?.status).toBe(200)
  expect((await server.counters()).refresh).toBe(before + 1)
  const note = await vaultFetch(page, '/api/notes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'hello' }),
  })
  expect(note.value?.status).toBe(201)
  expect(await state(page)).toBe('authenticated')
  // The vault's idle snapshot lands in IndexedDB shortly after sign-in.
  await page.waitForFunction(async () => (await indexedDB.databases()).length > 0)
  return hunt
}

/** Every token the server issued since the reset: the current access and refresh tokens and all earlier ones. */
async function needles(server: TestServer): Promise<string[]> {
  const tokens = await server.tokens()
  // Assertions on secrets compare booleans, so a failure never prints a token.
  expect(/^[\w-]{43,}$/.test(tokens.accessToken), 'the access token is a 256-bit base64url string').toBe(true)
  expect(/^[\w-]{43,}$/.test(tokens.refreshToken), 'the refresh token is a 256-bit base64url string').toBe(true)
  return [...new Set([tokens.accessToken, tokens.refreshToken, ...tokens.all])]
}

test('an injected script finds no token anywhere in the page', async ({ server, page }) => {
  const hunt = await signedInSession(page, server)
  const tokens = await needles(server)
  expect(tokens.length).toBeGreaterThanOrEqual(4) // two access and two refresh tokens

  const { findings, stats } = await hunt.run(tokens)
  expect(findings).toEqual([])

  // The hunter really looked (otherwise "found nothing" means nothing).
  expect(stats.globalCapped).toBe(false)
  expect(stats.globalNodes).toBeGreaterThan(2_000)
  expect(stats.reachedSession).toBe(true)
  expect(stats.idbDatabases).toBeGreaterThanOrEqual(1)
  expect(stats.idbValues).toBeGreaterThanOrEqual(1)
  expect(stats.performanceEntries).toBeGreaterThan(0)
  // The vault's answers and events reached the page through the taps (however the RPC is carried:
  // on the Worker itself or on MessagePorts; the negative check proves both are tapped).
  expect(stats.messageRecords).toBeGreaterThanOrEqual(5)
  expect((stats.messagesBySource.worker ?? 0) + (stats.messagesBySource.port ?? 0)).toBe(stats.messageRecords)
  expect(stats.postedRecords).toBeGreaterThan(0)

  // The refresh token lives in an HttpOnly cookie: in the browser, not in document.cookie.
  const current = await server.tokens()
  const cookies = await page.context().cookies()
  const refreshCookie = cookies.find(c => c.name === '__Host-sv_rt')
  expect(refreshCookie?.httpOnly).toBe(true)
  expect(refreshCookie?.value === current.refreshToken, 'the cookie holds the current refresh token').toBe(true)
  const documentCookie = await page.evaluate(() => document.cookie)
  expect(documentCookie).not.toContain('sv_rt')
  expect(documentCookie.includes(current.refreshToken), 'document.cookie shows the refresh token').toBe(false)

  // session.info: only the documented, token-free fields.
  const info = await page.evaluate(() => JSON.stringify(window.session.info))
  for (const token of tokens) expect(info.includes(token), 'session.info holds a token').toBe(false)
  expect(Object.keys(JSON.parse(info)).sort()).toEqual(expect.arrayContaining(['authenticated', 'expiresAt']))
  for (const key of Object.keys(JSON.parse(info))) {
    expect(['authenticated', 'expiresAt', 'claims', 'idleDeadline', 'absoluteDeadline']).toContain(key)
  }
})

test('negative check: the same hunter finds a token leaked into each place', async ({ server, page }) => {
  // The real vault with test hooks, so it can be made to leak in every engine.
  const hunt = await signedInSession(page, server, { workerUrl: VAULT_WITH_HOOKS })
  const tokens = await needles(server)
  const { accessToken } = await server.tokens()

  // Nothing yet (same as the test above), so every finding below comes from a leak.
  expect((await hunt.run(tokens)).findings).toEqual([])

  // The leaks (globals of several shapes, the DOM, Web Storage, a cookie, IndexedDB, Cache Storage, the
  // console, MessageChannel and BroadcastChannel messages, a resource URL): one page-side step shared with
  // the WebKit suite (e2e/support/scenarios.js).
  await scenario(page, 'leakEverywhere', accessToken)

  // The vault worker itself posts the token to the page and logs it.
  await vaultHook(page, { do: 'leak', token: accessToken })
  await page.waitForTimeout(SETTLE_MS)

  const { findings } = await hunt.run(tokens)
  const paths = (where: string) => findings.filter(f => f.where === where).map(f => f.path)
  expect(placesOf(findings)).toEqual(
    [
      'cacheStorage',
      'console',
      'console-node',
      'cookie',
      'global',
      'indexedDB',
      'localStorage',
      'message',
      'performance',
      'posted',
      'sessionStorage',
    ].sort(),
  )
  const global = paths('global').join('\n')
  expect(global).toContain('window.__leakNested.a.1.m<value 0>.t')
  expect(global).toContain('window.__leakHidden.deeper.x')
  expect(global).toContain('window.__leakGetter.holder.secret')
  expect(global).toContain('window.__leakBytes<bytes>')
  expect(global).toMatch(/window\.document\..*dataset\.leak/)
  expect(paths('indexedDB').join('\n')).toContain('leak-db/kv/k')
  expect(paths('cacheStorage').join('\n')).toContain('leak-cache')
  const messages = paths('message').join('\n')
  expect(messages).toContain('port message')
  expect(messages).toContain('broadcast message')
  expect(messages).toContain('worker message')
  expect(paths('console').length).toBeGreaterThan(0)
  // Playwright saw both the page's console.log and the vault worker's.
  expect(paths('console-node').length).toBeGreaterThanOrEqual(2)
})
