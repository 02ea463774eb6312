// 3. Start-up: createSession() to `ready`, each time in a fresh page.
import { LONG_LIFETIMES, openHarness, signIn, summary, summaryRow, TOKEN_AUTH, target } from './common.mjs'

export const id = 'startup'
/**
 * Chromium only so far: the figures that compare engines are fetch, logout and idle.
 * @type {import('./common.mjs').EngineName[]}
 */
export const engines = ['chromium']
export const title = 'Start-up: createSession() to ready'

/**
 * In the page: times `window.start(options)` (createSession + await ready).
 * @param {import('session-vault').SessionOptions} options
 */
async function timeStart(options) {
  const t0 = performance.now()
  const result = await window.start(options)
  const ms = performance.now() - t0
  return { ms, state: result.state, error: result.error }
}

/**
 * In the page, after the session was destroyed: the bare round trip of the
 * refresh request the vault makes at start-up (rotates the cookie, as the
 * vault's own call does), for the break-down.
 * @param {string} url
 */
async function timeRefresh(url) {
  const t0 = performance.now()
  const response = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token' }),
    // The header the vault sends on every auth call; the reference server refuses auth calls without it.
    headers: { 'Session-Vault': '1' },
    credentials: 'include',
    cache: 'no-store',
  })
  await response.text()
  return { ms: performance.now() - t0, status: response.status }
}

/**
 * One fresh page's start-up, then the bare refresh for scale.
 * @param {import('./common.mjs').BenchPage} page
 * @param {string} origin
 */
async function measure(page, origin) {
  await openHarness(page, origin)
  /** @satisfies {import('session-vault').SessionOptions} */
  const options = { auth: TOKEN_AUTH, dialog: false, idle: { timeout: '15m', warnBefore: '1m' } }
  const result = await page.evaluate(timeStart, options)
  if (result.error) throw new Error(`bench: createSession failed: ${result.error.code} ${result.error.message}`)
  // destroy() stops the vault but keeps the server session, so the next page restores it again.
  await page.evaluate(() => window.session.destroy())
  const refresh = await page.evaluate(timeRefresh, new URL('/auth/refresh', origin).href)
  return { ...result, refreshMs: refresh.ms, refreshStatus: refresh.status }
}

/** @param {import('./common.mjs').BenchEnv} env */
export async function run({ browser, origin, routes, quick }) {
  const n = quick ? 2 : 20
  await routes.reset(LONG_LIFETIMES)

  // First visit: a new browser context each time (empty HTTP cache, no cookie): the restore attempt gets 401.
  /** @type {number[]} */
  const anonymous = []
  /** @type {number[]} */
  const refresh401 = []
  for (let i = 0; i < n + 1; i++) {
    const context = await browser.newContext()
    try {
      const result = await measure(await context.newPage(), origin)
      if (result.state !== 'anonymous') throw new Error(`bench: expected anonymous, got ${result.state}`)
      if (i > 0) {
        anonymous.push(result.ms) // the very first one also pays for Chromium's own first-use costs
        refresh401.push(result.refreshMs)
      }
    } finally {
      await context.close()
    }
  }

  // Returning visit: one context signed in; each new page restores the session (refresh cookie + IndexedDB idle state).
  /** @type {number[]} */
  const restored = []
  /** @type {number[]} */
  const refresh200 = []
  const context = await browser.newContext()
  try {
    const first = await context.newPage()
    await signIn(first, origin)
    await first.close()
    for (let i = 0; i < n + 1; i++) {
      const page = await context.newPage()
      const result = await measure(page, origin)
      if (result.state !== 'authenticated') throw new Error(`bench: expected a restored session, got ${result.state}`)
      if (result.refreshStatus !== 200) throw new Error(`bench: bare refresh answered ${result.refreshStatus}`)
      await page.close()
      if (i > 0) {
        restored.push(result.ms)
        refresh200.push(result.refreshMs)
      }
    }
  } finally {
    await context.close()
  }

  const a = summary(anonymous)
  const r = summary(restored)
  const f401 = summary(refresh401)
  const f200 = summary(refresh200)
  return {
    id,
    title,
    n: { pages: n },
    rows: [
      summaryRow(`first visit, anonymous (fresh context, 401 on restore) (N=${a.n})`, a, 'ms'),
      summaryRow(`  for scale: bare POST /auth/refresh -> 401 from the page (N=${f401.n})`, f401, 'ms'),
      summaryRow(`returning, session restored (refresh + IndexedDB) (N=${r.n})`, r, 'ms'),
      summaryRow(`  for scale: bare POST /auth/refresh -> 200 from the page (N=${f200.n})`, f200, 'ms'),
    ],
    targets: [target('first visit median', a.median, 50, 'ms'), target('restored session median', r.median, 50, 'ms')],
    headline: [
      { figure: 'startup: first visit median', value: a.median, unit: 'ms' },
      { figure: 'startup: restored session median', value: r.median, unit: 'ms' },
    ],
    raw: { anonymous: a, restored: r, bareRefresh401: f401, bareRefresh200: f200 },
  }
}
