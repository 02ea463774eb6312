#!/usr/bin/env node
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
// npm run bench [-- --quick] [-- --only=fetch,startup] [-- --engines=chromium,firefox,webkit]
// Benchmarks of session-vault in real browsers against the in-process
// reference server: every benchmark in Chromium; fetch overhead, cross-tab
// logout and idle precision also in Firefox (Playwright over WebDriver BiDi)
// and WebKit (WebKitGTK's MiniBrowser over W3C WebDriver), each engine against
// its own direct `fetch`. Engines run one after another. Writes
// bench/results/latest.json (--quick: quick.json) and prints a table. A missed
// target is reported, never fatal; only errors (a missing engine among them)
// make the process fail.
import { chromium, firefox } from '@playwright/test'
import { startServer } from '../demo/server/app.mjs'
import { chromiumLaunch, ENGINES, firefoxLaunch, missingEngines } from '../e2e/support/browsers.mjs'
import { checkWebKit } from '../e2e/support/webkit.mjs'
import * as activity from './lib/activity.mjs'
import { load, machine, progress, ROOT, TestRoutes } from './lib/common.mjs'
import * as crossTab from './lib/cross-tab-logout.mjs'
import * as fetchOverhead from './lib/fetch-overhead.mjs'
import * as idle from './lib/idle-precision.mjs'
import * as largeBodies from './lib/large-bodies.mjs'
import { printReport } from './lib/report.mjs'
import * as startup from './lib/startup.mjs'
import { WebKitBrowser } from './lib/webkit-browser.mjs'

/** A mistake in the command line or a missing engine: printed without a stack. */
class UsageError extends Error {}

const BENCHMARKS = [fetchOverhead, largeBodies, startup, crossTab, activity, idle]
const ENGINE_NAMES = ['chromium', 'firefox', 'webkit']

function parseArgs(argv) {
  const options = { quick: false, only: null, engines: ENGINE_NAMES }
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true
    else if (arg.startsWith('--only=')) options.only = new Set(arg.slice(7).split(',').filter(Boolean))
    else if (arg.startsWith('--engines=')) options.engines = [...new Set(arg.slice(10).split(',').filter(Boolean))]
    else if (arg === '--help' || arg === '-h') {
      console.log(
        `usage: node bench/run.mjs [--quick] [--only=${BENCHMARKS.map(b => b.id).join(',')}] [--engines=${ENGINE_NAMES.join(',')}]`,
      )
      process.exit(0)
    } else throw new UsageError(`unknown argument ${arg}`)
  }
  if (options.only) {
    for (const name of options.only) {
      if (!BENCHMARKS.some(b => b.id === name)) throw new UsageError(`unknown benchmark ${name}`)
    }
  }
  for (const name of options.engines) {
    if (!ENGINE_NAMES.includes(name))
      throw new UsageError(`unknown engine ${name} (choose from ${ENGINE_NAMES.join(', ')})`)
  }
  if (options.engines.length === 0) throw new UsageError('--engines= names no engine')
  // Engines in the fixed order, whatever order they were given in.
  options.engines = ENGINE_NAMES.filter(name => options.engines.includes(name))
  return options
}

/** Fails at once, naming every engine (or piece of one) that is missing, before anything starts. */
function checkEngines(engines) {
  const missing = missingEngines(engines)
  if (engines.includes('webkit') && missing.every(line => !line.startsWith('webkit'))) {
    try {
      checkWebKit()
    } catch (error) {
      missing.push(error.message)
    }
  }
  if (missing.length > 0) {
    throw new UsageError(
      `missing engine${missing.length > 1 ? 's' : ''} (choose others with --engines=):\n  ${missing.join('\n  ')}`,
    )
  }
}

/** Starts `engine`; resolves the browser (Playwright's, or the WebDriver wrapper for WebKit), the origin its pages use, and what to print. */
async function launch(engine, serverUrl) {
  if (engine === 'chromium') {
    const options = chromiumLaunch()
    const browser = await chromium.launch(options)
    return {
      browser,
      origin: serverUrl,
      info: {
        version: browser.version(),
        path: options.executablePath ?? null,
        args: options.args,
        driver: `Playwright ${versionOf('@playwright/test')} (CDP)`,
      },
    }
  }
  if (engine === 'firefox') {
    const options = firefoxLaunch()
    const browser = await firefox.launch(options)
    return {
      browser,
      origin: serverUrl,
      info: {
        version: browser.version(),
        path: options.executablePath ?? null,
        args: [],
        driver: `Playwright ${versionOf('@playwright/test')} (WebDriver BiDi)`,
      },
    }
  }
  const browser = await WebKitBrowser.launch(serverUrl)
  return {
    browser,
    origin: browser.origin,
    info: {
      version: browser.version(),
      path: ENGINES.webkit.miniBrowser ?? null,
      args: ['--automation'],
      driver: `WebKitWebDriver (${ENGINES.webkit.path}) + selenium-webdriver ${versionOf('selenium-webdriver')}; pages behind an HTTPS proxy (${browser.origin})`,
    },
  }
}

const ENGINE_TITLES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }

/** The commit measured (with `+dirty` when the work tree differs), for reproducing a figure. */
function revision() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'worker'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim()
    return dirty ? `${head}+dirty` : head
  } catch {
    return 'unknown'
  }
}

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return 'unknown'
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  checkEngines(options.engines)
  const selected = BENCHMARKS.filter(b => !options.only || options.only.has(b.id))
  const startedAt = new Date()
  const loadAtStart = load()
  const cleanups = []
  const results = []
  const engines = {}
  const skipped = []
  try {
    const server = await startServer({ port: 0, test: true, quiet: true })
    cleanups.push(() => server.close())
    const routes = new TestRoutes(server.url)
    progress(`reference server ${server.url}; engines ${options.engines.join(', ')}${options.quick ? ' (quick)' : ''}`)
    for (const engine of options.engines) {
      const benchmarks = selected.filter(b => b.engines.includes(engine))
      for (const b of selected.filter(b => !b.engines.includes(engine)))
        skipped.push({ id: b.id, title: b.title, engine })
      if (benchmarks.length === 0) continue
      const t0 = Date.now()
      const { browser, origin, info } = await launch(engine, server.url)
      const close = () => browser.close()
      cleanups.push(close)
      engines[engine] = info
      progress(`${ENGINE_TITLES[engine]} ${info.version} at ${info.path ?? "Playwright's own"}; pages on ${origin}`)
      const env = { engine, browser, origin, routes, quick: options.quick, chromium: chromiumLaunch() }
      for (const benchmark of benchmarks) {
        const b0 = Date.now()
        progress(`${engine} ${benchmark.id}: ${benchmark.title} ...`)
        const loadBefore = load()
        const result = { engine, ...(await benchmark.run(env)) }
        result.loadAverage1m = { start: loadBefore, end: load() }
        result.seconds = Math.round((Date.now() - b0) / 100) / 10
        results.push(result)
        progress(`${engine} ${benchmark.id}: done in ${result.seconds} s`)
      }
      cleanups.splice(cleanups.indexOf(close), 1)
      await close()
      info.seconds = Math.round((Date.now() - t0) / 100) / 10
    }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (error) {
        progress(`cleanup failed: ${error?.message ?? error}`)
      }
    }
  }
  const report = {
    date: startedAt.toISOString(),
    quick: options.quick,
    revision: revision(),
    playwright: versionOf('@playwright/test'),
    machine: { ...machine(), loadAverage1m: { start: loadAtStart, end: load() } },
    seconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    engines,
    // Kept for readers of older reports: the same as engines.chromium.
    ...(engines.chromium ? { chromium: engines.chromium } : {}),
    benchmarks: results,
    chromiumOnly: skipped,
  }
  const dir = join(ROOT, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, options.quick ? 'quick.json' : 'latest.json')
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  printReport(report)
  console.log(`\nJSON: ${file.slice(ROOT.length)}`)
}

main().catch(error => {
  console.error(`bench: ${error instanceof UsageError ? error.message : (error?.stack ?? error)}`)
  process.exitCode = 1
})
