#!/usr/bin/env node
// Builds demo/bundlers/app.js with webpack 5, esbuild and Rollup from the packed package: the
// tarball is installed once into demo/bundlers/node_modules, then each bundler writes
// demo/bundlers/dist/<bundler>/ (main.js, its chunks, vault.worker.js, index.html), served by
// the reference server under /<bundler>/. `npm run build:vite-spa` runs it after the Vite apps;
// `node demo/bundlers/build.mjs` alone packs the tarball itself. Run after `npm run build`.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { installTarball, withPackedTarball } from '../tarball.mjs'
import { buildWithEsbuild } from './esbuild.mjs'
import { buildWithRollup } from './rollup.mjs'
import { buildWithWebpack } from './webpack.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))

/** @type {Record<string, (context: string, outDir: string) => Promise<void>>} */
const BUNDLERS = { webpack: buildWithWebpack, esbuild: buildWithEsbuild, rollup: buildWithRollup }

/**
 * Installs `tarball` into demo/bundlers and builds the app with every bundler.
 * @param {string} tarball
 */
export async function buildBundlerApps(tarball) {
  installTarball(tarball, here)
  const page = await readFile(join(here, 'index.html'), 'utf8')
  for (const [name, build] of Object.entries(BUNDLERS)) {
    const started = performance.now()
    const outDir = join(here, 'dist', name)
    await rm(outDir, { recursive: true, force: true })
    await mkdir(outDir, { recursive: true })
    await build(here, outDir)
    await writeFile(join(outDir, 'index.html'), page.replaceAll('BUNDLER', name))
    console.log(
      `${name}: built demo/bundlers/dist/${name} from ${basename(tarball)} in ${Math.round(performance.now() - started)} ms`,
    )
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await withPackedTarball(buildBundlerApps)
