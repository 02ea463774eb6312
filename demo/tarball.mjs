// The packed package as a user installs it: `npm pack` (the real tarball, `files` and `exports`
// included), then `npm install <tarball>` in a consumer app's folder. Shared by the app builds
// (demo/vite-spa/build.mjs, demo/bundlers/build.mjs).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/**
 * Runs a command in `cwd`; its stdout as text, its stderr on ours.
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} cwd
 */
export const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString()

/**
 * Packs the repository (run after `npm run build`) into a temporary folder, calls `use` with the
 * tarball's path, and removes the folder afterwards.
 * @template T
 * @param {(tarball: string) => Promise<T> | T} use
 * @returns {Promise<T>}
 */
export async function withPackedTarball(use) {
  const packDir = mkdtempSync(join(tmpdir(), 'session-vault-pack-'))
  try {
    const [{ filename }] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', packDir], root))
    return await use(join(packDir, filename))
  } finally {
    rmSync(packDir, { recursive: true, force: true })
  }
}

/**
 * Installs the tarball into the app folder `dir` (its node_modules), leaving its package.json as is.
 * @param {string} tarball
 * @param {string} dir
 */
export function installTarball(tarball, dir) {
  run(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir)
}
