// Bundles server/index.ts (session-vault/server) to one ESM file for the
// Playwright apps, the multi-process server tests and the load benchmark:
// Node 20 cannot run the TypeScript source. Peers (redis, express, fastify) stay external.

import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * @param {string} [outfile] absolute path; default e2e/server-lib/.build/server.mjs
 * @returns {Promise<string>} the file written
 */
export async function buildServerLib(outfile = fileURLToPath(new URL('./.build/server.mjs', import.meta.url))) {
  await build({
    entryPoints: [`${ROOT}server/index.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${await buildServerLib(process.argv[2])}\n`)
}
