#!/usr/bin/env node
// Builds the Vite app against the packed package, as a user installs it:
// npm pack (the real tarball, `files` and `exports` included) -> npm install in
// demo/vite-spa -> vite build. Run after `npm run build`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = join(here, '..', '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} cwd
 */
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString()

const packDir = mkdtempSync(join(tmpdir(), 'session-vault-pack-'))
try {
  const [{ filename }] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', packDir], root))
  run(
    npm,
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      join(packDir, filename),
    ],
    here,
  )
  run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], here)
  console.log('vite-spa: built demo/vite-spa/dist from', filename)
} finally {
  rmSync(packDir, { recursive: true, force: true })
}
