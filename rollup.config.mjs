import { nodeResolve } from '@rollup/plugin-node-resolve'
import { dts } from 'rollup-plugin-dts'
import esbuild, { minify } from 'rollup-plugin-esbuild'

const plugins = (extra = []) => [
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2022', tsconfig: 'tsconfig.base.json' }),
  ...extra,
]

// The default dialog is loaded on demand from dist/session-vault-dialog.js: a chunk of the ESM
// build, and a plain dynamic import() of that same file from the script-tag builds. Its
// languages are chunks it imports in turn (dist/session-vault-locale-XX.js).
const dialog = { 'src/dialog/dialog.ts': './session-vault-dialog.js' }
const iife = { format: 'iife', name: 'SessionVault', paths: id => dialog[id.slice(process.cwd().length + 1)] }

/** The core's module ids as an adapter sees them (external: the adapter imports dist/session-vault.js). */
const CORE = ['src/index.ts', 'src/types.ts']
const adapter = name => ({
  file: `dist/${name}.js`,
  format: 'es',
  paths: id => (CORE.some(core => id.endsWith(core)) ? './session-vault.js' : id),
})

/** [input, output, extra plugins, external] */
const bundles = [
  [
    'src/index.ts',
    {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'session-vault.js',
      chunkFileNames: ({ facadeModuleId }) =>
        facadeModuleId?.includes('/dialog/locales/') ? 'session-vault-locale-[name].js' : 'session-vault-[name].js',
    },
  ],
  ['src/iife.ts', { ...iife, file: 'dist/session-vault.iife.js' }, [], Object.keys(dialog)],
  ['src/iife.ts', { ...iife, file: 'dist/session-vault.iife.min.js' }, [minify()], Object.keys(dialog)],
  ['worker/vault.worker.ts', { file: 'dist/vault.worker.js', format: 'iife' }, [minify()]],
  // The adapters import the core from its own file, so an app that imports both gets one copy.
  ['src/adapters/react.ts', adapter('react'), [], ['react', ...CORE]],
  ['src/adapters/vue.ts', adapter('vue'), [], ['vue', ...CORE]],
  // session-vault/sse: the event-stream helper, on the core's session.fetch (imported from its own file too).
  ['src/sse/index.ts', adapter('sse'), [], CORE],
  [
    'demo/spa/app.ts',
    { file: 'demo/build/app.js', format: 'es', paths: { 'session-vault': '/assets/session-vault.js' } },
    [],
    ['session-vault'],
  ],
]

// session-vault/server: Node only, never in a browser bundle; its optional peers stay external.
const serverExternal = id => id.startsWith('node:') || ['redis', 'express', 'fastify'].includes(id)
const server = { input: 'server/index.ts', external: serverExternal }

export default [
  ...bundles.map(([input, output, extra, external = []]) => ({
    input,
    plugins: plugins(extra),
    external: id => external.some(name => id === name || id.endsWith(name)),
    output: { sourcemap: true, ...output },
  })),
  { input: 'src/index.ts', plugins: [dts()], output: { file: 'dist/session-vault.d.ts', format: 'es' } },
  ...[
    ['react', 'src/adapters/react.ts'],
    ['vue', 'src/adapters/vue.ts'],
    ['sse', 'src/sse/index.ts'],
  ].map(([name, input]) => ({
    input,
    plugins: [dts()],
    external: id => id === name || CORE.some(core => id.endsWith(core) || id.endsWith(core.replace('.ts', '.js'))),
    output: { file: `dist/${name}.d.ts`, format: 'es', paths: id => (id === name ? id : './session-vault.js') },
  })),
  {
    ...server,
    plugins: [esbuild({ target: 'node20', tsconfig: 'server/tsconfig.json' })],
    output: { file: 'dist/server/index.js', format: 'es', sourcemap: true },
  },
  {
    ...server,
    plugins: [dts({ tsconfig: 'server/tsconfig.json' })],
    output: { file: 'dist/server/index.d.ts', format: 'es' },
  },
]
