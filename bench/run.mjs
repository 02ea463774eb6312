#!/usr/bin/env node
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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
import { ENGINE_NAMES, ENGINE_TITLES, errorMessage, load, machine, progress, ROOT, TestRoutes } from './lib/common.mjs'
import * as crossTab from './lib/cross-tab-logout.mjs'
import * as fetchOverhead from './lib/fetch-overhead.mjs'
import * as idle from './lib/idle-precision.mjs'
import * as largeBodies from './lib/large-bodies.mjs'
import { printReport } from './lib/report.mjs'
import * as startup from './lib/startup.mjs'
import * as streaming from './lib/streaming.mjs'
import { WebKitBrowser } from './lib/webkit-browser.mjs'

/** @typedef {import('./lib/common.mjs').EngineName} EngineName */
/** @typedef {import('./lib/common.mjs').EngineInfo} EngineInfo */

/** A mistake in the command line or a missing engine: printed without a stack. */
class UsageError extends Error {}

/** @type {import('./lib/common.mjs').Benchmark[]} */
const BENCHMARKS = [fetchOverhead, largeBodies, startup, crossTab, activity, idle, streaming]

/**
 * @param {string} name
 * @returns {name is EngineName}
 */
const isEngine = name => ENGINE_NAMES.some(engine => engine === name)

/**
 * `--quick`, `--only=`, `--engines=` (in the fixed order, whatever order they were given in).
 * @param {string[]} argv
 */
function parseArgs(argv) {
  /** @type {{ quick: boolean, only: Set<string> | null, engines: readonly string[] }} */
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
    if (!isEngine(name)) throw new UsageError(`unknown engine ${name} (choose from ${ENGINE_NAMES.join(', ')})`)
  }
  if (options.engines.length === 0) throw new UsageError('--engines= names no engine')
  return {
    quick: options.quick,
    only: options.only,
    engines: ENGINE_NAMES.filter(name => options.engines.includes(name)),
  }
}

/**
 * Fails at once, naming every engine (or piece of one) that is missing, before anything starts.
 * @param {EngineName[]} engines
 */
function checkEngines(engines) {
  const missing = missingEngines(engines)
  if (engines.includes('webkit') && missing.every(line => !line.startsWith('webkit'))) {
    try {
      checkWebKit()
    } catch (error) {
      missing.push(errorMessage(error))
    }
  }
  if (missing.length > 0) {
    throw new UsageError(
      `missing engine${missing.length > 1 ? 's' : ''} (choose others with --engines=):\n  ${missing.join('\n  ')}`,
    )
  }
}

/** Playwright's engines: how each is launched, with which flags, over which protocol. */
const PLAYWRIGHT_ENGINES = {
  chromium: { type: chromium, options: chromiumLaunch, protocol: 'CDP' },
  firefox: { type: firefox, options: firefoxLaunch, protocol: 'WebDriver BiDi' },
}

/**
 * Starts `engine`; resolves the browser (Playwright's, or the WebDriver wrapper for WebKit), the origin its pages use, and what to print.
 * @param {EngineName} engine
 * @param {string} serverUrl
 * @returns {Promise<import('./lib/common.mjs').EngineBrowser & { origin: string, info: EngineInfo }>}
 */
async function launch(engine, serverUrl) {
  if (engine !== 'webkit') {
    const { type, options: launchOptions, protocol } = PLAYWRIGHT_ENGINES[engine]
    const options = launchOptions()
    const browser = await type.launch(options)
    return {
      engine,
      browser,
      origin: serverUrl,
      info: {
        version: browser.version(),
        path: options.executablePath ?? null,
        args: 'args' in options ? options.args : [],
        driver: `Playwright ${versionOf('@playwright/test')} (${protocol})`,
      },
    }
  }
  const browser = await WebKitBrowser.launch(serverUrl)
  return {
    engine,
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

/**
 * The installed version of package `name`.
 * @param {string} name
 * @returns {string}
 */
function versionOf(name) {
  try {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'))
    return typeof version === 'string' ? version : 'unknown'
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
  /** @type {(() => Promise<void>)[]} */
  const cleanups = []
  /** @type {import('./lib/common.mjs').MeasuredResult[]} */
  const results = []
  /** @type {import('./lib/common.mjs').Report['engines']} */
  const engines = {}
  /** @type {import('./lib/common.mjs').Report['chromiumOnly']} */
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
      const { info, ...launched } = await launch(engine, server.url)
      const close = () => launched.browser.close()
      cleanups.push(close)
      engines[engine] = info
      progress(
        `${ENGINE_TITLES[engine]} ${info.version} at ${info.path ?? "Playwright's own"}; pages on ${launched.origin}`,
      )
      /** @type {import('./lib/common.mjs').BenchEnv} */
      const env = { ...launched, routes, quick: options.quick, chromium: chromiumLaunch() }
      for (const benchmark of benchmarks) {
        const b0 = Date.now()
        progress(`${engine} ${benchmark.id}: ${benchmark.title} ...`)
        const loadBefore = load()
        const measured = await benchmark.run(env)
        const loadAverage1m = { start: loadBefore, end: load() }
        const result = {
          engine,
          date: new Date(b0).toISOString(),
          ...measured,
          loadAverage1m,
          seconds: Math.round((Date.now() - b0) / 100) / 10,
        }
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
        progress(`cleanup failed: ${errorMessage(error)}`)
      }
    }
  }
  /** @type {import('./lib/common.mjs').Report} */
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
  if (!options.quick && (options.only || options.engines.length < ENGINE_NAMES.length))
    mergePrevious(report, file, options)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  printReport(report)
  console.log(`\nJSON: ${file.slice(ROOT.length)}`)
}

/**
 * A partial run (`--only=`, `--engines=`) replaces only what it measured: the
 * previous report's results of the other benchmarks and engines are kept
 * (each with the `date` it was measured on), so latest.json keeps every figure.
 * @param {import('./lib/common.mjs').Report} report
 * @param {string} file
 * @param {{ only: Set<string> | null, engines: EngineName[] }} options
 */
function mergePrevious(report, file, options) {
  if (!existsSync(file)) return
  /** @type {import('./lib/common.mjs').Report} */
  let previous
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return
  }
  /** @param {{ id: string, engine?: EngineName }} r */
  const replaced = r => (!options.only || options.only.has(r.id)) && options.engines.includes(r.engine ?? 'chromium')
  const kept = (previous.benchmarks ?? []).filter(r => !replaced(r)).map(r => ({ ...r, date: r.date ?? previous.date }))
  if (kept.length === 0) return
  report.benchmarks = [...kept, ...report.benchmarks].sort(
    (a, b) => ENGINE_NAMES.indexOf(a.engine) - ENGINE_NAMES.indexOf(b.engine),
  )
  report.chromiumOnly = [...(previous.chromiumOnly ?? []).filter(r => !replaced(r)), ...report.chromiumOnly]
  for (const name of ENGINE_NAMES) {
    const info = report.engines[name] ?? previous.engines?.[name]
    if (info && report.benchmarks.some(r => r.engine === name)) report.engines[name] = info
  }
  report.engines = Object.fromEntries(
    ENGINE_NAMES.flatMap(name => (report.engines[name] ? [[name, report.engines[name]]] : [])),
  )
  if (report.engines.chromium) report.chromium = report.engines.chromium
  report.merged = { from: previous.date, revision: previous.revision, kept: kept.map(r => `${r.id}/${r.engine}`) }
}

main().catch(error => {
  console.error(
    `bench: ${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error}`,
  )
  process.exitCode = 1
})
