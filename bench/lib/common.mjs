// Shared helpers of the benchmarks: the machine, statistics, the reference
// server's test routes, the harness page. Where each engine is and how it
// starts: e2e/support/browsers.mjs (and webkit.mjs), used by run.mjs.
import { arch, cpus, loadavg, type as osType, platform, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

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
  return Math.round(loadavg()[0] * 100) / 100
}

// ---- statistics -----------------------------------------------------------

const sorted = values => [...values].sort((a, b) => a - b)

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN
  const s = sorted(values)
  const rank = Math.ceil((p / 100) * s.length)
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]
}

export function median(values) {
  if (values.length === 0) return NaN
  const s = sorted(values)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

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

export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return value
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** One checked figure: `value` against `limit` (`<=` unless `op` says `>=`). */
export function target(name, value, limit, unit = '', op = '<=') {
  const pass = op === '<=' ? value <= limit : value >= limit
  return { name, value: round(value), limit, unit, op, pass }
}

// ---- the reference server -------------------------------------------------

export const ALICE = { username: 'alice', password: 'correct horse' }

export const TOKEN_AUTH = {
  type: 'token',
  loginUrl: '/auth/login',
  refreshUrl: '/auth/refresh',
  logoutUrl: '/auth/logout',
  keepaliveUrl: '/auth/keepalive',
}

/** Test-support calls against the in-process reference server (test mode). */
export class TestRoutes {
  constructor(origin) {
    this.origin = origin
  }

  async #call(method, path, body) {
    const response = await fetch(new URL(path, this.origin), {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`bench: ${method} ${path} answered ${response.status}`)
    return response.json()
  }

  /** Wipes sessions and counters; lifetimes in seconds. */
  reset(lifetimes = {}) {
    return this.#call('POST', '/test/reset', lifetimes)
  }

  tokens() {
    return this.#call('GET', '/test/tokens')
  }

  counters() {
    return this.#call('GET', '/test/counters')
  }
}

// ---- the harness page (e2e/support/page.html, strict CSP) ------------------

export const HARNESS_PATH = 'e2e/support/page.html'

/** Opens the e2e harness page in `page` and waits for its module. */
export async function openHarness(page, origin) {
  await page.goto(new URL(HARNESS_PATH, origin).href)
  await page.waitForFunction(() => window.harnessReady === true)
}

/** `window.start(options)` in the page (headless, token auth unless overridden); throws on an SDK error. */
export async function startSession(page, options = {}) {
  const result = await page.evaluate(opts => window.start(opts), { auth: TOKEN_AUTH, dialog: false, ...options })
  if (result.error) throw new Error(`bench: createSession failed: ${result.error.code} ${result.error.message}`)
  return result.state
}

export async function login(page, credentials = ALICE) {
  const result = await page.evaluate(c => window.attempt(() => window.session.login(c)), credentials)
  if (!result.ok) throw new Error(`bench: login failed: ${result.error?.code} ${result.error?.message}`)
}

/** Polls the page until `count` events named `name` were recorded; returns them. */
/**
 * A fresh browser context with one signed-in harness page (long lifetimes, so
 * nothing expires mid-measurement) and the current access token. Close the
 * context when done.
 */
export async function signedInPage(browser, origin, routes) {
  await routes.reset({ accessTokenTtl: 3600, idleTimeout: 3600 })
  const context = await browser.newContext()
  const page = await context.newPage()
  await openHarness(page, origin)
  await startSession(page)
  await login(page)
  const { accessToken: token } = await routes.tokens()
  return { context, page, token }
}

export async function waitForEvents(page, name, timeout = 10_000, count = 1) {
  await page.waitForFunction(([n, c]) => window.events.filter(e => e.name === n).length >= c, [name, count], {
    timeout,
    polling: 'raf',
  })
  return page.evaluate(n => window.events.filter(e => e.name === n), name)
}

/** A simple progress line on stderr (stdout carries the table). */
export function progress(message) {
  process.stderr.write(`bench: ${message}\n`)
}
