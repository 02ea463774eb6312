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
// counterpart; the page's console is tapped as in Chromium and Firefox.
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

describe('WebKit: the token hunt', () => {
  test('an injected script finds no token anywhere in the page', async () => {
    await signedInWithTaps()
    await huntFindsNothing(webkitTab(wk), expect, hunt, () => wk.driver.manage().getCookies())
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

  test('debug: true logs both threads to the console, and the hunter still finds no token there, before or after logout', async () => {
    await signedInWithTaps({
      debug: true,
      auth: { ...TOKEN_AUTH, statusUrl: '/auth/status' },
      monitor: { interval: '1s' },
    })
    await wk.run(() => window.session.extend())
    await new Promise(resolve => setTimeout(resolve, 1_500))
    const tab = webkitTab(wk)
    await huntFindsNothing(tab, expect, hunt, () => wk.driver.manage().getCookies())
    const logged = async () =>
      ((await wk.run(() => window.__svTaps!())) as { console: { method: string; text: string }[] }).console
        .filter(record => record.method === 'debug' && record.text.includes('[session-vault] '))
        .map(record => record.text)
    const lines = await logged()
    for (const event of ['page vault.init', 'page vault.login', 'page vault.keepalive', 'page vault.status'])
      expect(
        lines.some(line => line.includes(`[session-vault] ${event}`)),
        event,
      ).toBe(true)
    for (const event of ['vault restore', 'vault http.login', 'vault http.refresh', 'vault lock.refresh'])
      expect(
        lines.some(line => line.includes(`[session-vault] ${event}`)),
        event,
      ).toBe(true)

    const tokens = await needles(tab, expect)
    await wk.run(() => window.session.logout())
    await wk.waitInPage(async () =>
      ((await window.__svTaps!()) as { console: { text: string }[] }).console.some(r =>
        r.text.includes('[session-vault] page event.logout'),
      ),
    )
    const after = await logged()
    expect(after.some(line => line.includes('[session-vault] vault logout'))).toBe(true)
    for (const token of tokens)
      expect(
        after.some(line => line.includes(token)),
        'a token in the debug log',
      ).toBe(false)
    expect((await hunt(tokens)).findings.filter(f => f.where === 'console')).toEqual([])
  })
})
