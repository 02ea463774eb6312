// esbuild bundles the SDK but leaves `new URL('./vault.worker.js', import.meta.url)` alone: the
// worker is copied next to the bundle (ESM output, so import.meta.url is the bundle's URL). With
// `splitting`, the on-demand dialog and its languages stay chunks, loaded by import() (no Trusted
// Types sink, nothing to configure).
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

/**
 * Builds the app in `context` into `outDir` (which exists, empty).
 * @param {string} context
 * @param {string} outDir
 */
export async function buildWithEsbuild(context, outDir) {
  await build({
    absWorkingDir: context,
    entryPoints: { main: 'app.js' },
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    target: 'es2022',
    outdir: outDir,
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
  })
  await copyFile(
    join(context, 'node_modules', 'session-vault', 'dist', 'vault.worker.js'),
    join(outDir, 'vault.worker.js'),
  )
}
