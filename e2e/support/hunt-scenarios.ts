// The token hunt's checks, written once: e2e/security/token-hunt.spec.ts runs them in
// Chromium and Firefox, e2e/webkit/hunt.wd.test.ts in WebKit. The attacker is
// support/hunt-attacker.js with the taps of support/hunt-taps.js; each runner installs
// the taps its own way (Playwright: an init script; WebDriver: after the harness loads)
// and runs the attacker in the page, so a scenario takes the runner's `hunt` function.
import { type Finding, type HuntStats, placesOf } from './hunt.js'
import type { Expect, Tab } from './tab.js'
import { poll } from './tab.js'

/** Runs the attacker in the page with these needles (Playwright adds what it saw of worker consoles). */
export type HuntRun = (
  needles: string[],
) => Promise<{ findings: Finding[]; stats: Omit<HuntStats, 'nodeConsoleRecords'> }>

/** The places the leaks of the `leakEverywhere` step land in, where every engine's hunter finds them. */
export const LEAK_PLACES = [
  'cacheStorage',
  'console',
  'cookie',
  'global',
  'indexedDB',
  'localStorage',
  'message',
  'performance',
  'posted',
  'sessionStorage',
] as const

/** The findings of one place, their paths one a line. */
export const pathsOf = (findings: Finding[], where: string): string =>
  findings
    .filter(f => f.where === where)
    .map(f => f.path)
    .join('\n')

/**
 * After sign-in, sends traffic through the vault (and past the taps): fetches, a
 * 401 -> refresh -> replay, a POST with a body, streamed answers; then waits for the vault's
 * token-free idle snapshot in IndexedDB, so the hunter has a real database to search.
 */
export async function exerciseVault(tab: Tab, expect: Expect): Promise<void> {
  const me = await tab.vaultFetch('/api/me')
  expect(me.value?.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({ username: 'alice' })
  await tab.server.post('/test/expire-access')
  const before = (await tab.server.counters()).refresh
  expect((await tab.vaultFetch('/api/me')).value?.status).toBe(200)
  expect((await tab.server.counters()).refresh).toBe(before + 1)
  const note = await tab.vaultFetch('/api/notes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'hello' }),
  })
  expect(note.value?.status).toBe(201)
  // Streamed answers (an undeclared length, one over 64 KiB): their chunks cross too, as a transferred
  // stream or, in WebKit, as MessagePort messages the taps see.
  const drip = await tab.vaultFetch('/test/drip?id=hunt&chunks=4&every=20')
  expect(drip.value?.text.startsWith('0:')).toBe(true)
  expect((await tab.vaultFetch('/api/bytes?n=200000')).value?.status).toBe(200)
  expect(await tab.state()).toBe('authenticated')
  const storage = await poll(
    () => tab.step<{ databases: string[] }>('browserStorage'),
    s => s.databases.length > 0,
  )
  expect(storage.databases.length, "the vault's idle snapshot is in IndexedDB").toBeGreaterThan(0)
}

/** Every token the server issued since the reset: the current access and refresh tokens and all earlier ones. */
export async function needles(tab: Tab, expect: Expect): Promise<string[]> {
  const tokens = await tab.server.tokens()
  // Assertions on secrets compare booleans, so a failure never prints a token.
  expect(/^[\w-]{43,}$/.test(tokens.accessToken), 'the access token is a 256-bit base64url string').toBe(true)
  expect(/^[\w-]{43,}$/.test(tokens.refreshToken), 'the refresh token is a 256-bit base64url string').toBe(true)
  return [...new Set([tokens.accessToken, tokens.refreshToken, ...tokens.all])]
}

/**
 * The hunter finds no token, and it really looked (otherwise "found nothing" means nothing);
 * the refresh token sits in an HttpOnly cookie only (`cookies`: every cookie of the origin, as the
 * runner sees them); `session.info` has only its documented, token-free fields.
 */
export async function huntFindsNothing(
  tab: Tab,
  expect: Expect,
  hunt: HuntRun,
  cookies: () => Promise<{ name: string; value: string; httpOnly?: boolean }[]>,
): Promise<void> {
  const tokens = await needles(tab, expect)
  expect(tokens.length).toBeGreaterThanOrEqual(4) // two access and two refresh tokens

  const { findings, stats } = await hunt(tokens)
  expect(findings).toEqual([])
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
  const current = await tab.server.tokens()
  const refreshCookie = (await cookies()).find(c => c.name === '__Host-sv_rt')
  expect(refreshCookie?.httpOnly).toBe(true)
  expect(refreshCookie?.value === current.refreshToken, 'the cookie holds the current refresh token').toBe(true)
  const { documentCookie } = await tab.step<{ documentCookie: string }>('browserStorage')
  expect(documentCookie.includes('sv_rt'), 'document.cookie shows the refresh cookie').toBe(false)
  expect(documentCookie.includes(current.refreshToken), 'document.cookie shows the refresh token').toBe(false)

  // session.info: only the documented, token-free fields.
  const info = JSON.stringify(await tab.info())
  for (const token of tokens) expect(info.includes(token), 'session.info holds a token').toBe(false)
  expect(Object.keys(JSON.parse(info)).sort()).toEqual(expect.arrayContaining(['authenticated', 'expiresAt']))
  for (const key of Object.keys(JSON.parse(info))) {
    expect(['authenticated', 'expiresAt', 'claims', 'idleDeadline', 'absoluteDeadline']).toContain(key)
  }
}

/**
 * After the `leakEverywhere` step: the same hunter, given every issued token (`needles`), finds the
 * leaked one in each place (`places`: LEAK_PLACES and whatever else this runner leaked or sees).
 * Resolves the findings.
 */
export async function huntFindsEveryLeak(
  expect: Expect,
  hunt: HuntRun,
  tokens: string[],
  places: readonly string[] = LEAK_PLACES,
): Promise<Finding[]> {
  const { findings } = await hunt(tokens)
  expect(placesOf(findings)).toEqual([...places].sort())
  const global = pathsOf(findings, 'global')
  expect(global).toContain('window.__leakNested.a.1.m<value 0>.t')
  expect(global).toContain('window.__leakHidden.deeper.x')
  expect(global).toContain('window.__leakGetter.holder.secret')
  expect(global).toContain('window.__leakBytes<bytes>')
  expect(global).toMatch(/window\.document\..*dataset\.leak/)
  expect(pathsOf(findings, 'indexedDB')).toContain('leak-db/kv/k')
  expect(pathsOf(findings, 'cacheStorage')).toContain('leak-cache')
  expect(pathsOf(findings, 'message')).toContain('port message')
  expect(pathsOf(findings, 'message')).toContain('broadcast message')
  return findings
}
