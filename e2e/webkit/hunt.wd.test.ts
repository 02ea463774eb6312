// The token hunt in WebKit: the attacker of e2e/support/hunt-attacker.js, with
// the taps of e2e/support/hunt-taps.js, searches everything a page script can
// reach for every token the server issued; then the negative check leaks a
// token into each place and the same hunter must find it there. The checks are
// the ones every engine runs (e2e/support/hunt-scenarios.ts; Chromium and
// Firefox: e2e/security/token-hunt.spec.ts).
//
// WebDriver classic has no init scripts, so the taps go in after the harness
// page loaded but before `createSession`: the harness module only imports the
// SDK, which touches Worker, postMessage, BroadcastChannel and the console only
// from `createSession` on (the negative check proves the taps see its traffic).
// Playwright's view of worker consoles ('console-node') has no WebDriver
// counterpart; the page's console is tapped as in Chromium and Firefox. With `debug: true`
// that is enough to see both threads: the vault sends its entries to the page, which logs
// them with `console.debug('[session-vault] vault <event>', data)` next to its own `page` ones.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { ATTACKER, type Finding, type HuntStats } from '../support/hunt.js'
import {
  exerciseVault,
  type HuntRun,
  huntFindsEveryLeak,
  huntFindsNothing,
  needles,
} from '../support/hunt-scenarios.js'
import { TOKEN_AUTH, useWebKit, webkitTab } from './driver.js'

const TAPS = readFileSync(fileURLToPath(new URL('../support/hunt-taps.js', import.meta.url)), 'utf8')
  .trim()
  .replace(/;$/, '')

const wk = useWebKit()

/** Runs the attacker in the page; the needles travel as a WebDriver argument, never in the script text. */
const hunt: HuntRun = async needles => {
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

/** Harness, taps, session with idle on (its token-free snapshot goes to IndexedDB), sign-in, fetches, a refresh, a POST. */
async function signedInWithTaps(options: Record<string, unknown> = {}): Promise<void> {
  await wk.openHarness()
  await wk.driver.executeScript(TAPS)
  expect(await wk.run(() => typeof window.__svTaps)).toBe('function')
  expect(await wk.startSession({ idle: { timeout: '10m', warnBefore: '1m' }, ...options })).toEqual({
    state: 'anonymous',
  })
  expect(await wk.login()).toEqual({ ok: true })
  await exerciseVault(webkitTab(wk), expect)
}

/** What the taps recorded so far (console calls and messages, each flattened to text joined by NUL). */
async function taps(): Promise<{ console: TapRecord[]; messages: TapRecord[] }> {
  return (await wk.run(() => window.__svTaps!())) as { console: TapRecord[]; messages: TapRecord[] }
}
type TapRecord = { method?: string; from?: string; text: string }

/**
 * The SDK's `debug: true` lines the taps saw: `console.debug('[session-vault] <thread> <event>', data)`,
 * recorded as the flattened argument list (`0`, the message, `1`, the data's keys and values, `length`, `2`).
 * `head` is the message, `text` the whole record (what the hunter searches).
 */
async function debugLines(): Promise<{ head: string; text: string }[]> {
  return (await taps()).console
    .filter(record => record.method === 'debug')
    .map(record => ({ parts: record.text.split('\u0000'), text: record.text }))
    .filter(({ parts }) => parts[0] === '0' && (parts[1] ?? '').startsWith('[session-vault] '))
    .map(({ parts, text }) => ({ head: parts[1]!, text }))
}

describe('WebKit: the token hunt', () => {
  test('an injected script finds no token anywhere in the page', async () => {
    await signedInWithTaps()
    await huntFindsNothing(webkitTab(wk), expect, hunt, () => wk.driver.manage().getCookies())
    expect(await debugLines(), 'no debug line without debug: true').toEqual([])
  })

  test('negative check: the same hunter finds a token leaked into each place', async () => {
    await signedInWithTaps()
    const tab = webkitTab(wk)
    const tokens = await needles(tab, expect)
    expect((await hunt(tokens)).findings).toEqual([])
    const { accessToken } = await wk.server.tokens()
    await tab.step('leakEverywhere', accessToken)
    await huntFindsEveryLeak(expect, hunt, tokens)
  })

  test('debug: true logs the lifecycle of both threads to the console, and the hunter still finds no token there, before or after logout', async () => {
    await signedInWithTaps({
      debug: true,
      auth: { ...TOKEN_AUTH, statusUrl: '/auth/status' },
      monitor: { interval: '1s' },
    })
    await wk.run(() => window.session.extend())
    await new Promise(resolve => setTimeout(resolve, 1_500))
    const tab = webkitTab(wk)
    await huntFindsNothing(tab, expect, hunt, () => wk.driver.manage().getCookies())

    // The taps saw the debug lines on the page's console; the vault's own entries reach it as
    // messages from the worker (the page logs them as `[session-vault] vault <event>`).
    const lines = await debugLines()
    for (const event of ['vault.init', 'vault.login', 'vault.keepalive', 'vault.status', 'event.authenticated'])
      expect(
        lines.some(line => line.head === `[session-vault] page ${event}`),
        `page: ${event}`,
      ).toBe(true)
    for (const event of [
      'restore',
      'http.login',
      'http.refresh',
      'lock.refresh',
      'http.keepalive',
      'http.status-check',
    ])
      expect(
        lines.some(line => line.head === `[session-vault] vault ${event}`),
        `vault: ${event}`,
      ).toBe(true)
    const fromVault = (await taps()).messages.filter(
      m => (m.from === 'worker' || m.from === 'port') && m.text.split('\u0000').includes('http.refresh'),
    )
    expect(fromVault.length, "the vault thread's http.refresh entry came from the worker").toBeGreaterThan(0)

    // The logout steps too, and nothing they log holds a token either.
    const tokens = await needles(tab, expect)
    await wk.run(() => window.session.logout())
    await wk.waitInPage(async () =>
      ((await window.__svTaps!()) as { console: { text: string }[] }).console.some(r =>
        r.text.startsWith('0\u0000[session-vault] page event.logout\u0000'),
      ),
    )
    const after = await debugLines()
    expect(after.some(line => line.head.startsWith('[session-vault] vault logout'))).toBe(true)
    for (const token of tokens)
      expect(
        after.some(line => line.text.includes(token)),
        'a token in the debug log',
      ).toBe(false)
    const { findings, stats } = await hunt(tokens)
    expect(stats.consoleRecords, 'the hunter searched every debug line').toBeGreaterThanOrEqual(after.length)
    expect(findings.filter(f => f.where === 'console')).toEqual([])
    expect(findings).toEqual([])
  })
})
