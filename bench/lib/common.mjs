// Shared helpers of the benchmarks: the machine, statistics, the reference
// server's test routes, the harness page, and the types every benchmark
// shares. Where each engine is and how it starts: e2e/support/browsers.mjs
// (and webkit.mjs), used by run.mjs.
// Over 300 lines: the shared types every benchmark imports are JSDoc typedefs here.
import { arch, cpus, loadavg, type as osType, platform, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { ALICE, TOKEN_AUTH } from '../../e2e/support/reference.mjs'

// The demo account and the token-mode routes, as every e2e runner knows them.
export { ALICE, TOKEN_AUTH }

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

// ---- types ------------------------------------------------------------------

/** @typedef {'chromium' | 'firefox' | 'webkit'} EngineName */

/**
 * A function run in the page with one (JSON) argument, or an expression.
 * @template Arg, R
 * @typedef {string | ((arg: Arg) => R | Promise<R>)} PageFunction
 */

/**
 * The part of Playwright's Page the benchmarks use; WebKit's pages
 * (webkit-browser.mjs) have the same.
 * @typedef {{
 *   goto(url: string): Promise<unknown>,
 *   evaluate<R, Arg>(fn: PageFunction<Arg, R>, arg: Arg): Promise<R>,
 *   evaluate<R>(fn: PageFunction<void, R>): Promise<R>,
 *   waitForFunction<R, Arg>(fn: PageFunction<Arg, R>, arg: Arg, options?: { timeout?: number, polling?: number | 'raf' }): Promise<unknown>,
 *   waitForFunction<R>(fn: PageFunction<void, R>): Promise<unknown>,
 *   waitForTimeout(ms: number): Promise<void>,
 *   close(): Promise<void>,
 * }} BenchPage
 */

/**
 * The part of Playwright's BrowserContext and Browser the benchmarks use.
 * @typedef {{ newPage(): Promise<BenchPage>, close(): Promise<void> }} BenchContext
 * @typedef {{ newContext(): Promise<BenchContext>, close(): Promise<void> }} BenchBrowser
 */

/**
 * An engine's browser: Playwright's for Chromium and Firefox, the WebDriver
 * wrapper for WebKit. `engine` tells them apart (the Chromium-only benchmarks
 * use Playwright's routes and CDP sessions).
 * @typedef {{ engine: 'chromium' | 'firefox', browser: import('@playwright/test').Browser }
 *   | { engine: 'webkit', browser: import('./webkit-browser.mjs').WebKitBrowser }} EngineBrowser
 */

/**
 * What run.mjs gives every benchmark's `run`: the engine's browser, the
 * origin its pages load from, the server's test routes, `--quick`, and how
 * Chromium is launched (for the hidden tab's own Chromium).
 * @typedef {EngineBrowser & {
 *   origin: string,
 *   routes: TestRoutes,
 *   quick: boolean,
 *   chromium: ReturnType<typeof import('../../e2e/support/browsers.mjs').chromiumLaunch>,
 * }} BenchEnv
 */

/**
 * One line of a benchmark's table (`p95: ''` where there is none).
 * @typedef {{ figure: string, median: number | string, p95: number | string, unit: string }} Row
 */

/**
 * A key figure, for the per-engine table.
 * @typedef {{ figure: string, value: number, unit: string }} Headline
 */

/** @typedef {ReturnType<typeof target>} Target */

/**
 * What a benchmark's `run` resolves.
 * @typedef {{
 *   id: string,
 *   title: string,
 *   n: Record<string, number | string>,
 *   rows: Row[],
 *   targets: Target[],
 *   notes?: string[],
 *   headline: Headline[],
 *   raw: Record<string, unknown>,
 * }} BenchmarkResult
 */

/**
 * A benchmark module (`import * as`): fetch-overhead.mjs and the others.
 * @typedef {{
 *   id: string,
 *   title: string,
 *   engines: readonly EngineName[],
 *   run(env: BenchEnv): Promise<BenchmarkResult>,
 * }} Benchmark
 */

/**
 * What an engine ran as: in the table's header and the JSON's `engines`.
 * @typedef {{ version: string, path: string | null, args: readonly string[], driver: string, seconds?: number }} EngineInfo
 */

/** @typedef {{ start: number, end: number }} LoadAverage the 1-minute load average around a stretch of the run */

/**
 * A benchmark's result as run.mjs records it: with its engine, when it ran, the load around it and how long it took.
 * @typedef {BenchmarkResult & { engine: EngineName, date?: string, loadAverage1m: LoadAverage, seconds: number }} MeasuredResult
 */

/**
 * The whole run: bench/results/latest.json (--quick: quick.json), and what the table prints.
 * @typedef {{
 *   date: string,
 *   quick: boolean,
 *   revision: string,
 *   playwright: string,
 *   machine: ReturnType<typeof machine> & { loadAverage1m: LoadAverage },
 *   seconds: number,
 *   engines: Partial<Record<EngineName, EngineInfo>>,
 *   chromium?: EngineInfo,
 *   benchmarks: MeasuredResult[],
 *   chromiumOnly: { id: string, title: string, engine: EngineName }[],
 *   merged?: { from: string, revision: string, kept: string[] },
 * }} Report
 */

/**
 * Every engine, in the order they run and are printed in.
 * @type {readonly EngineName[]}
 */
export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit']

/** How each engine is called in the output. */
export const ENGINE_TITLES = /** @type {const} */ ({ chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' })

// ---- the machine --------------------------------------------------------------

export function machine() {
  const list = cpus()
  return {
    os: `${osType()} ${release()} (${platform()}/${arch()})`,
    cpu: list[0]?.model?.trim() ?? 'unknown',
    cores: list.length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  }
}

/** 1-minute load average: other work on the machine (e2e runs, builds) shows up in the figures. */
export function load() {
  return Math.round((loadavg()[0] ?? Number.NaN) * 100) / 100
}

// ---- statistics -----------------------------------------------------------

/** @param {readonly number[]} values */
const sorted = values => [...values].sort((a, b) => a - b)

/**
 * Nearest-rank percentile (p in 0..100).
 * @param {readonly number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN
  const s = sorted(values)
  const rank = Math.ceil((p / 100) * s.length)
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))] ?? Number.NaN
}

/** @param {readonly number[]} values */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const s = sorted(values)
  const mid = s.length >> 1
  const upper = s[mid] ?? Number.NaN
  return s.length % 2 ? upper : ((s[mid - 1] ?? Number.NaN) + upper) / 2
}

/** @param {readonly number[]} values */
export function summary(values) {
  return {
    n: values.length,
    median: round(median(values)),
    p95: round(percentile(values, 95)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    mean: round(values.reduce((a, b) => a + b, 0) / values.length),
  }
}

/** @typedef {ReturnType<typeof summary>} Summary */

/**
 * A table line of a summary's median and p95.
 * @param {string} figure
 * @param {Summary} s
 * @param {string} unit
 * @returns {Row}
 */
export function summaryRow(figure, s, unit) {
  return { figure, median: s.median, p95: s.p95, unit }
}

/**
 * @param {number} value
 * @param {number} [digits]
 */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return value
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/**
 * One checked figure: `value` against `limit` (`<=` unless `op` says `>=`).
 * @param {string} name
 * @param {number} value
 * @param {number} limit
 * @param {string} [unit]
 * @param {'<=' | '>='} [op]
 */
export function target(name, value, limit, unit = '', op = '<=') {
  const pass = op === '<=' ? value <= limit : value >= limit
  return { name, value: round(value), limit, unit, op, pass }
}

// ---- the reference server -------------------------------------------------

/** Lifetimes that outlast any measurement (seconds): nothing expires mid-run. */
export const LONG_LIFETIMES = { accessTokenTtl: 3600, idleTimeout: 3600 }

/** Test-support calls against the in-process reference server (test mode). */
export class TestRoutes {
  /** @param {string} origin */
  constructor(origin) {
    this.origin = origin
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<unknown>}
   */
  async #call(method, path, body) {
    const response = await fetch(new URL(path, this.origin), {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`bench: ${method} ${path} answered ${response.status}`)
    return response.json()
  }

  /**
   * Wipes sessions and counters; lifetimes in seconds.
   * @param {import('../../e2e/support/reference.mjs').Lifetimes} [lifetimes]
   */
  async reset(lifetimes = {}) {
    await this.#call('POST', '/test/reset', lifetimes)
  }

  /** The plaintext of the last tokens the server issued. */
  async tokens() {
    return /** @type {{ accessToken: string | null, refreshToken: string | null, all: string[] }} */ (
      await this.#call('GET', '/test/tokens')
    )
  }

  async counters() {
    return /** @type {import('../../e2e/support/reference.mjs').Counters} */ (await this.#call('GET', '/test/counters'))
  }
}

// ---- the harness page (e2e/support/page.html, strict CSP) ------------------

export const HARNESS_PATH = 'e2e/support/page.html'

/**
 * Opens the e2e harness page in `page` and waits for its module.
 * @param {BenchPage} page
 * @param {string} origin
 */
export async function openHarness(page, origin) {
  await page.goto(new URL(HARNESS_PATH, origin).href)
  await page.waitForFunction(() => window.harnessReady === true)
}

/**
 * `window.start(options)` in the page (headless, token auth unless overridden); throws on an SDK error.
 * @param {BenchPage} page
 * @param {Partial<import('session-vault').SessionOptions>} [options]
 */
export async function startSession(page, options = {}) {
  const result = await page.evaluate(opts => window.start(opts), { auth: TOKEN_AUTH, dialog: false, ...options })
  if (result.error) throw new Error(`bench: createSession failed: ${result.error.code} ${result.error.message}`)
  return result.state
}

/**
 * @param {BenchPage} page
 * @param {{ username: string, password: string }} [credentials]
 */
export async function login(page, credentials = ALICE) {
  const result = await page.evaluate(c => window.attempt(() => window.session.login(c)), credentials)
  if (!result.ok) throw new Error(`bench: login failed: ${result.error?.code} ${result.error?.message}`)
}

/**
 * Opens the harness in `page` and signs alice in (a new session, token auth).
 * @param {BenchPage} page
 * @param {string} origin
 */
export async function signIn(page, origin) {
  await openHarness(page, origin)
  await startSession(page)
  await login(page)
}

/**
 * A fresh browser context with one signed-in harness page (long lifetimes, so
 * nothing expires mid-measurement) and the current access token. Close the
 * context when done.
 * @param {BenchBrowser} browser
 * @param {string} origin
 * @param {TestRoutes} routes
 */
export async function signedInPage(browser, origin, routes) {
  await routes.reset(LONG_LIFETIMES)
  const context = await browser.newContext()
  const page = await context.newPage()
  await signIn(page, origin)
  const { accessToken: token } = await routes.tokens()
  if (!token) throw new Error('bench: the server issued no access token at sign-in')
  return { context, page, token }
}

/**
 * Polls the page until `count` events named `name` were recorded within `timeout` ms; returns them.
 * @param {BenchPage} page
 * @param {string} name
 * @param {number} timeout
 * @param {number} [count]
 */
export async function waitForEvents(page, name, timeout, count = 1) {
  const arg = /** @type {const} */ ([name, count])
  await page.waitForFunction(([n, c]) => window.events.filter(e => e.name === n).length >= c, arg, {
    timeout,
    polling: 'raf',
  })
  return page.evaluate(n => window.events.filter(e => e.name === n), name)
}

/**
 * What went wrong, for a progress line or a note.
 * @param {unknown} error
 */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error)
}

/**
 * A simple progress line on stderr (stdout carries the table).
 * @param {string} message
 */
export function progress(message) {
  process.stderr.write(`bench: ${message}\n`)
}
