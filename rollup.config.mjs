import { nodeResolve } from '@rollup/plugin-node-resolve'
import { dts } from 'rollup-plugin-dts'
import esbuild, { minify } from 'rollup-plugin-esbuild'

const transpile = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.base.json' })
const plugins = () => [nodeResolve({ browser: true }), transpile()]

/** [input, output file, format, extra output options] */
const bundles = [
  ['src/index.ts', 'dist/session-vault.js', 'es'],
  ['src/iife.ts', 'dist/session-vault.iife.js', 'iife', { name: 'SessionVault' }],
  ['src/iife.ts', 'dist/session-vault.iife.min.js', 'iife', { name: 'SessionVault' }, [minify()]],
  ['worker/vault.worker.ts', 'dist/vault.worker.js', 'iife', {}, [minify()]],
  ['demo/spa/app.ts', 'demo/build/app.js', 'es', { paths: { 'session-vault': '/assets/session-vault.js' } }],
]

export default [
  ...bundles.map(([input, file, format, output = {}, extra = []]) => ({
    input,
    plugins: [...plugins(), ...extra],
    external: input.startsWith('demo/') ? ['session-vault'] : [],
    output: { file, format, sourcemap: true, ...output },
  })),
  { input: 'src/index.ts', plugins: [dts()], output: { file: 'dist/session-vault.d.ts', format: 'es' } },
]
