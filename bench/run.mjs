#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only=fetch,startup]
// Benchmarks of session-vault in real Chromium against the in-process
// reference server. Writes bench/results/latest.json (--quick: quick.json)
// and prints a table. A missed target is reported, never fatal; only errors
// make the process fail.
import { chromium } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startServer } from '../demo/server/app.mjs'
import { chromiumArgs, chromiumPath, load, machine, progress, ROOT, TestRoutes } from './lib/common.mjs'
import * as fetchOverhead from './lib/fetch-overhead.mjs'
import * as largeBodies from './lib/large-bodies.mjs'
import * as startup from './lib/startup.mjs'
import * as crossTab from './lib/cross-tab-logout.mjs'
import * as activity from './lib/activity.mjs'
import * as idle from './lib/idle-precision.mjs'
import { printReport } from './lib/report.mjs'

const BENCHMARKS = [fetchOverhead, largeBodies, startup, crossTab, activity, idle]

function parseArgs(argv) {
  const options = { quick: false, only: null }
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true
    else if (arg.startsWith('--only=')) options.only = new Set(arg.slice(7).split(',').filter(Boolean))
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: node bench/run.mjs [--quick] [--only=${BENCHMARKS.map((b) => b.id).join(',')}]`)
      process.exit(0)
    } else throw new Error(`bench: unknown argument ${arg}`)
  }
  if (options.only) {
    for (const name of options.only) {
      if (!BENCHMARKS.some((b) => b.id === name)) throw new Error(`bench: unknown benchmark ${name}`)
    }
  }
  return options
}

/** The commit measured (with `+dirty` when the work tree differs), for reproducing a figure. */
function revision() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'worker'], { cwd: ROOT, encoding: 'utf8' }).trim()
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
  const selected = BENCHMARKS.filter((b) => !options.only || options.only.has(b.id))
  const executablePath = chromiumPath()
  const args = chromiumArgs()
  const startedAt = new Date()
  const loadAtStart = load()
  const cleanups = []
  const results = []
  let chromiumVersion = 'unknown'
  try {
    const server = await startServer({ port: 0, test: true, quiet: true })
    cleanups.push(() => server.close())
    const origin = server.url
    const routes = new TestRoutes(origin)
    const browser = await chromium.launch({ executablePath, args })
    cleanups.push(() => browser.close())
    chromiumVersion = browser.version()
    progress(`Chromium ${chromiumVersion} at ${executablePath ?? "Playwright's own"}; reference server ${origin}${options.quick ? ' (quick)' : ''}`)
    const env = { browser, origin, routes, quick: options.quick, executablePath, args }
    for (const benchmark of selected) {
      const t0 = Date.now()
      progress(`${benchmark.id}: ${benchmark.title} ...`)
      const loadBefore = load()
      const result = await benchmark.run(env)
      result.loadAverage1m = { start: loadBefore, end: load() }
      result.seconds = Math.round((Date.now() - t0) / 100) / 10
      results.push(result)
      progress(`${benchmark.id}: done in ${result.seconds} s`)
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
    chromium: { version: chromiumVersion, path: executablePath ?? null, args },
    benchmarks: results,
  }
  const dir = join(ROOT, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, options.quick ? 'quick.json' : 'latest.json')
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  printReport(report)
  console.log(`\nJSON: ${file.slice(ROOT.length)}`)
}

main().catch((error) => {
  console.error(`bench: ${error?.stack ?? error}`)
  process.exitCode = 1
})
