#!/usr/bin/env node
// `npm run test:e2e`: the Playwright projects (chromium, firefox) side by side, each in its own
// process against its own reference server (its own port), so the suite takes about as long
// as its slowest engine. Arguments go to Playwright; with --project only that project runs,
// in the foreground. Exits non-zero when any project failed.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const PROJECTS = [
  { name: 'chromium', port: 8788 },
  { name: 'firefox', port: 8798 },
]
const args = process.argv.slice(2)
const playwright = ['node_modules/@playwright/test/cli.js', 'test']

if (args.some((arg) => arg === '--project' || arg.startsWith('--project='))) {
  const child = spawn(process.execPath, [...playwright, ...args], { stdio: 'inherit' })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
} else {
  const totals = { passed: 0, failed: 0, flaky: 0, skipped: 0 }
  const runs = PROJECTS.map(({ name, port }) =>
    new Promise((resolve) => {
      const env = { ...process.env, E2E_PORT: String(port), E2E_OUTPUT: `test-results/${name}` }
      const child = spawn(process.execPath, [...playwright, `--project=${name}`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          console.log(`${name.padEnd(8)} | ${line}`)
          const count = /^\s+(\d+) (passed|failed|flaky|skipped)\b/.exec(line)
          if (count) totals[count[2]] += Number(count[1])
        })
      }
      child.on('exit', (code, signal) => resolve(code === 0 && !signal))
    }),
  )
  const ok = (await Promise.all(runs)).every(Boolean)
  console.log(`e2e: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${totals.flaky ? ` (${totals.flaky} flaky, passed on retry)` : ''}`)
  process.exit(ok ? 0 : 1)
}
