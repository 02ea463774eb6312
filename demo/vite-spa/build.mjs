#!/usr/bin/env node
// Builds the Vite apps against the packed package, as a user installs it:
// npm pack (the real tarball, `files` and `exports` included) -> npm install in
// each app's folder -> vite build. demo/vite-spa imports 'session-vault'; demo/react-spa
// and demo/vue-spa its adapters (React and Vue come from the repository's own
// dependencies, found up the tree). Run after `npm run build`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const APPS = ['vite-spa', 'react-spa', 'vue-spa']
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
  for (const app of APPS) {
    const here = join(root, 'demo', app)
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
    console.log(`${app}: built demo/${app}/dist from`, filename)
  }
} finally {
  rmSync(packDir, { recursive: true, force: true })
}
