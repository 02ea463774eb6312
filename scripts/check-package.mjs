#!/usr/bin/env node
// `npm run test:package`: what users import, checked on the packed tarball (`npm pack`) as they
// would receive it. publint checks the package.json and its `exports` map; attw checks that the
// types resolve for TypeScript's `node16` (from ESM) and `bundler` resolution. The package is
// ESM only (profile esm-only); `./vault.worker.js` is a worker asset users point `new URL` at,
// never import, so it has no types by design.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ASSET_ENTRYPOINTS = ['./vault.worker.js']

const dir = mkdtempSync(join(tmpdir(), 'session-vault-pack-'))
try {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] })
  const tarball = join(dir, readdirSync(dir).find(name => name.endsWith('.tgz')) ?? 'missing.tgz')
  const bin = (/** @type {string} */ name) => join('node_modules', '.bin', name)
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' })
  execFileSync(
    bin('attw'),
    [tarball, '--profile', 'esm-only', '--exclude-entrypoints', ...ASSET_ENTRYPOINTS, '--format', 'table-flipped'],
    { stdio: 'inherit' },
  )
} catch (error) {
  const status = /** @type {{ status?: number }} */ (error).status
  console.error(status === undefined ? error : `package check failed (exit ${status})`)
  process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
