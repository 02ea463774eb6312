#!/usr/bin/env node
// Size of what a browser downloads: every file minified by esbuild, then gzip -9.
// `node bench/size.mjs`          prints a table and writes bench/results/size.json
// `node bench/size.mjs --check`  also fails when a file grows past its ceiling (run by npm test)
// Each file has the target (reported as pass/miss) and a ceiling that CI enforces, so the
// bundles cannot quietly grow while the targets are not met yet.
// `node bench/size.mjs --peers`  adds the peers, bundled the same way from their published files
import { build } from 'esbuild'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const KB = 1024
const ours = [
  { name: 'session-vault (ESM, main thread)', entry: 'dist/session-vault.js', target: 8 * KB, ceiling: 10.5 * KB },
  { name: 'session-vault (IIFE, .min.js)', entry: 'dist/session-vault.iife.min.js', target: 9 * KB, ceiling: 11 * KB },
  { name: 'session-vault vault.worker.js', entry: 'dist/vault.worker.js', target: 12 * KB, ceiling: 12 * KB },
]
const peers = [
  { name: '@auth0/auth0-spa-js (ESM + deps)', entry: 'node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.esm.js' },
  { name: '@auth0/auth0-spa-js worker', entry: 'node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.worker.production.js' },
  { name: 'oidc-client-ts (ESM + deps)', entry: 'node_modules/oidc-client-ts/dist/esm/oidc-client-ts.js' },
  { name: '@axa-fr/oidc-client (ESM + deps)', entry: 'node_modules/@axa-fr/oidc-client/dist/index.js' },
  { name: '@axa-fr/oidc-client service worker', entry: 'node_modules/@axa-fr/oidc-client/public/OidcServiceWorker.js', optional: true },
  { name: 'react-idle-timer (ESM, react external)', entry: 'node_modules/react-idle-timer/dist/index.esm.mjs', external: ['react', 'react-dom'] },
]

/** Bundles `entry` with its dependencies (as an app ships it), minifies, gzips. */
async function measure({ name, entry, target, ceiling, external = [], optional }) {
  let code
  try {
    const result = await build({
      entryPoints: [entry], bundle: true, minify: true, write: false, format: 'esm', platform: 'browser',
      target: 'es2022', external, logLevel: 'silent', legalComments: 'none',
    })
    code = result.outputFiles[0].contents
  } catch (error) {
    if (optional) return null
    throw error
  }
  const gzipBytes = gzipSync(code, { level: 9 }).length
  return { name, file: entry, minBytes: code.length, gzipBytes, ...(target ? { targetBytes: target, ceilingBytes: ceiling, targetMet: gzipBytes <= target } : {}) }
}

const args = new Set(process.argv.slice(2))
const rows = (await Promise.all([...ours, ...(args.has('--peers') ? peers : [])].map(measure))).filter(Boolean)
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(['file'.padEnd(44), 'min'.padStart(9), 'min+gz'.padStart(9), 'target'.padStart(9), 'ceiling'.padStart(9)].join(' '))
for (const row of rows) {
  const target = row.targetBytes ? `${kb(row.targetBytes)} ${row.targetMet ? 'pass' : 'MISS'}` : ''
  console.log([row.name.padEnd(44), kb(row.minBytes).padStart(9), kb(row.gzipBytes).padStart(9), target.padStart(14), (row.ceilingBytes ? kb(row.ceilingBytes) : '').padStart(9)].join(' '))
}
mkdirSync('bench/results', { recursive: true })
const previous = (() => {
  try {
    return JSON.parse(readFileSync('bench/results/size.json', 'utf8'))
  } catch {
    return {}
  }
})()
writeFileSync('bench/results/size.json', `${JSON.stringify({ ...previous, measuredAt: new Date().toISOString(), method: 'esbuild --bundle --minify, gzip -9', files: rows }, null, 2)}\n`)

if (args.has('--check')) {
  const over = rows.filter((row) => row.ceilingBytes && row.gzipBytes > row.ceilingBytes)
  for (const row of over) console.error(`size ceiling exceeded: ${row.name} is ${kb(row.gzipBytes)} > ${kb(row.ceilingBytes)}`)
  console.log(over.length ? `size: ${rows.length - over.length} passed, ${over.length} failed` : `size: ${rows.length} passed, 0 failed`)
  process.exit(over.length ? 1 : 0)
}
