#!/usr/bin/env node
// `npm run test:e2e`: every engine's e2e suite, in two lanes side by side so the run takes
// about as long as Firefox's: lane 1 runs Playwright's chromium project then the WebKit
// WebDriver suite, lane 2 Playwright's firefox project. Each Playwright project gets its own
// reference server (its own port); the WebKit suite starts its own. Arguments go to
// Playwright; with --project only that project runs, in the foreground (`npm run test:webkit`
// runs WebKit alone). Exits non-zero when any suite failed.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/**
 * One suite: the node command that runs it, its environment, and the pattern of its closing counts.
 * @typedef {{ name: string, command: string[], env: Record<string, string>, count: RegExp }} Suite
 */

/**
 * Playwright's project `name` on its own reference server port.
 * @param {string} name
 * @param {number} port
 * @returns {Suite}
 */
const playwright = (name, port) => ({
  name,
  command: ['node_modules/@playwright/test/cli.js', 'test', `--project=${name}`, ...process.argv.slice(2)],
  env: { E2E_PORT: String(port), E2E_OUTPUT: `test-results/${name}` },
  // Playwright's closing lines: "  12 passed (1.0m)", "  1 failed", "  2 flaky", "  1 skipped".
  count: /^\s+(\d+) (passed|failed|flaky|skipped)\b/,
})
/** @type {Suite} */
const webkit = {
  name: 'webkit',
  command: ['node_modules/vitest/vitest.mjs', 'run', '--config', 'e2e/webkit/vitest.config.ts'],
  env: {},
  // Vitest's: "      Tests  2 failed | 22 passed (24)".
  count: /^\s+Tests\s+(?:(\d+) failed \| )?(\d+) passed/,
}
const LANES = [[playwright('chromium', 8788), webkit], [playwright('firefox', 8798)]]

const args = process.argv.slice(2)
if (args.some(arg => arg === '--project' || arg.startsWith('--project='))) {
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...args], { stdio: 'inherit' })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
} else {
  const totals = { passed: 0, failed: 0, flaky: 0, skipped: 0 }
  /**
   * @param {string | undefined} kind
   * @returns {kind is keyof typeof totals}
   */
  const isTotal = kind => kind !== undefined && Object.hasOwn(totals, kind)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes (ESC [ ... m) of the child's output
  const plain = (/** @type {string} */ line) => line.replace(/\x1b\[[0-9;]*m/g, '')

  /**
   * Runs `suite`, its output prefixed with its name; resolves whether it passed.
   * @param {Suite} suite
   * @returns {Promise<boolean>}
   */
  const run = suite =>
    new Promise(resolve => {
      const child = spawn(process.execPath, suite.command, {
        env: { ...process.env, ...suite.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', line => {
          console.log(`${suite.name.padEnd(8)} | ${line}`)
          const match = suite.count.exec(plain(line))
          if (!match) return
          if (suite === webkit) {
            totals.failed += Number(match[1] ?? 0)
            totals.passed += Number(match[2])
          } else if (isTotal(match[2])) totals[match[2]] += Number(match[1])
        })
      }
      child.on('exit', (code, signal) => resolve(code === 0 && !signal))
    })

  const lanes = LANES.map(async suites => {
    let ok = true
    for (const suite of suites) ok = (await run(suite)) && ok
    return ok
  })
  const ok = (await Promise.all(lanes)).every(Boolean)
  console.log(
    `e2e: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${totals.flaky ? ` (${totals.flaky} flaky, passed on retry)` : ''}`,
  )
  process.exit(ok ? 0 : 1)
}
