// The token hunt in WebKit: the attacker of e2e/support/hunt-attacker.js, with
// the taps of e2e/support/hunt-taps.js, searches everything a page script can
// reach for every token the server issued; then the negative check leaks a
// token into each place and the same hunter must find it there.
//
// WebDriver classic has no init scripts, so the taps go in after the harness
// page loaded but before `createSession`: the harness module only imports the
// SDK, which touches Worker, postMessage, BroadcastChannel and the console only
// from `createSession` on (the negative check proves the taps see its traffic).
// Playwright's view of worker consoles ('console-node') has no WebDriver
// counterpart; the page's console is tapped as in Chromium and Firefox.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { ATTACKER, type HuntStats } from '../support/hunt.js'
import { useWebKit } from './driver.js'

const TAPS = readFileSync(fileURLToPath(new URL('../support/hunt-taps.js', import.meta.url)), 'utf8')
  .trim()
  .replace(/;$/, '')

const wk = useWebKit()

interface Finding {
  where: string
  path: string
  needle: number
}

/** Runs the attacker in the page; the needles travel as a WebDriver argument, never in the script text. */
async function hunt(needles: string[]): Promise<{ findings: Finding[]; stats: Omit<HuntStats, 'nodeConsoleRecords'> }> {
  if (needles.length === 0 || needles.some(n => typeof n !== 'string' || n.length < 16))
    throw new Error('hunt: needles must be real token strings')
  const result = (await wk.driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
(${ATTACKER})(arguments[0], {}).then((r) => done({ ok: true, r }), (e) => done({ ok: false, e: String(e) }));`,
    needles,
  )) as { ok: boolean; r: { findings: Finding[]; stats: Omit<HuntStats, 'nodeConsoleRecords'> }; e?: string }
  if (!result.ok) throw new Error(`the hunter failed: ${result.e}`)
  return result.r
}

const placesOf = (findings: Finding[]) => [...new Set(findings.map(f => f.where))].sort()

/** Harness, taps, session with idle on (its token-free snapshot goes to IndexedDB), sign-in, fetches, a refresh, a POST. */
async function signedInWithTaps(): Promise<void> {
  await wk.openHarness()
  await wk.driver.executeScript(TAPS)
  expect(await wk.run(() => typeof window.__svTaps)).toBe('function')
  expect(await wk.startSession({ idle: { timeout: '10m', warnBefore: '1m' } })).toEqual({ state: 'anonymous' })
  expect(await wk.login()).toEqual({ ok: true })
  expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)
  await wk.server.post('/test/expire-access')
  const before = (await wk.server.counters()).refresh
  expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)
  expect((await wk.server.counters()).refresh).toBe(before + 1)
  const note = await wk.vaultFetch('/api/notes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'hello' }),
  })
  expect(note.value?.status).toBe(201)
  await wk.waitInPage(async () => (await indexedDB.databases()).length > 0)
}

/** Every token issued since the reset (checked to look like real 256-bit tokens; compared as booleans only). */
async function needles(): Promise<string[]> {
  const tokens = await wk.server.tokens()
  expect(/^[\w-]{43,}$/.test(tokens.accessToken), 'the access token is a 256-bit base64url string').toBe(true)
  expect(/^[\w-]{43,}$/.test(tokens.refreshToken), 'the refresh token is a 256-bit base64url string').toBe(true)
  return [...new Set([tokens.accessToken, tokens.refreshToken, ...tokens.all])]
}

describe('WebKit: the token hunt', () => {
  test('an injected script finds no token anywhere in the page', async () => {
    await signedInWithTaps()
    const tokens = await needles()
    expect(tokens.length).toBeGreaterThanOrEqual(4)
    const { findings, stats } = await hunt(tokens)
    expect(findings).toEqual([])
    // The hunter really looked.
    expect(stats.globalCapped).toBe(false)
    expect(stats.globalNodes).toBeGreaterThan(2_000)
    expect(stats.reachedSession).toBe(true)
    expect(stats.idbDatabases).toBeGreaterThanOrEqual(1)
    expect(stats.idbValues).toBeGreaterThanOrEqual(1)
    expect(stats.performanceEntries).toBeGreaterThan(0)
    expect(stats.messageRecords).toBeGreaterThanOrEqual(5)
    expect((stats.messagesBySource.worker ?? 0) + (stats.messagesBySource.port ?? 0)).toBe(stats.messageRecords)
    expect(stats.postedRecords).toBeGreaterThan(0)

    // The refresh token is in an HttpOnly cookie: in the browser, never in document.cookie.
    const cookies = await wk.driver.manage().getCookies()
    const refresh = cookies.find(c => c.name === '__Host-sv_rt')
    expect(refresh?.httpOnly).toBe(true)
    expect(
      refresh?.value === (await wk.server.tokens()).refreshToken,
      'the cookie holds the current refresh token',
    ).toBe(true)
    const documentCookie = (await wk.run(() => document.cookie)) as string
    expect(documentCookie.includes('sv_rt'), 'document.cookie shows the refresh cookie').toBe(false)
    const info = (await wk.run(() => JSON.stringify(window.session.info))) as string
    for (const token of tokens) expect(info.includes(token), 'session.info holds a token').toBe(false)
  })

  test('negative check: the same hunter finds a token leaked into each place', async () => {
    await signedInWithTaps()
    const tokens = await needles()
    expect((await hunt(tokens)).findings).toEqual([])
    const { accessToken } = await wk.server.tokens()
    await wk.run(token => window.svScenarios.leakEverywhere(token), accessToken)

    const { findings } = await hunt(tokens)
    const paths = (where: string) =>
      findings
        .filter(f => f.where === where)
        .map(f => f.path)
        .join('\n')
    expect(placesOf(findings)).toEqual(
      [
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
      ].sort(),
    )
    const global = paths('global')
    expect(global).toContain('window.__leakNested.a.1.m<value 0>.t')
    expect(global).toContain('window.__leakHidden.deeper.x')
    expect(global).toContain('window.__leakGetter.holder.secret')
    expect(global).toContain('window.__leakBytes<bytes>')
    expect(global).toMatch(/window\.document\..*dataset\.leak/)
    expect(paths('indexedDB')).toContain('leak-db/kv/k')
    expect(paths('cacheStorage')).toContain('leak-cache')
    expect(paths('message')).toContain('port message')
    expect(paths('message')).toContain('broadcast message')
  })
})
