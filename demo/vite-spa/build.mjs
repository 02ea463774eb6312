#!/usr/bin/env node
// Builds the consumer apps against the packed package, as a user installs it:
// npm pack -> npm install in each app's folder -> the app's bundler (demo/tarball.mjs).
// The Vite apps: demo/vite-spa imports 'session-vault'; demo/react-spa and demo/vue-spa its
// adapters (React and Vue come from the repository's own dependencies, found up the tree).
// Then the webpack, esbuild and Rollup builds of demo/bundlers. Run after `npm run build`.
import { basename, join } from 'node:path'
import { buildBundlerApps } from '../bundlers/build.mjs'
import { installTarball, root, run, withPackedTarball } from '../tarball.mjs'

const APPS = ['vite-spa', 'react-spa', 'vue-spa']

await withPackedTarball(async tarball => {
  for (const app of APPS) {
    const here = join(root, 'demo', app)
    installTarball(tarball, here)
    run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], here)
    console.log(`${app}: built demo/${app}/dist from`, basename(tarball))
  }
  await buildBundlerApps(tarball)
})
