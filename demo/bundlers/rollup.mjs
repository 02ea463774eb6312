// Rollup with @rollup/plugin-node-resolve, ES output into a folder: the on-demand dialog and each of
// its languages become chunks loaded by import(); `new URL('./vault.worker.js', import.meta.url)` is
// left as written, so the worker is emitted next to the entry under its own name (`vaultWorker`).
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { rollup } from 'rollup'

/**
 * Emits session-vault's vault.worker.js as an asset next to the entry.
 * @param {string} context the app's folder, where session-vault is installed
 * @returns {import('rollup').Plugin}
 */
const vaultWorker = context => ({
  name: 'session-vault-worker',
  async generateBundle() {
    const file = createRequire(join(context, 'app.js')).resolve('session-vault/vault.worker.js')
    this.emitFile({ type: 'asset', fileName: 'vault.worker.js', source: await readFile(file) })
  },
})

/**
 * Builds the app in `context` into `outDir` (which exists, empty).
 * @param {string} context
 * @param {string} outDir
 */
export async function buildWithRollup(context, outDir) {
  const bundle = await rollup({
    input: join(context, 'app.js'),
    plugins: [nodeResolve({ browser: true }), vaultWorker(context)],
    onwarn: warning => {
      throw new Error(`rollup: ${warning.message}`)
    },
  })
  try {
    await bundle.write({ dir: outDir, format: 'es', entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' })
  } finally {
    await bundle.close()
  }
}
