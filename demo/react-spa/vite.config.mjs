import { defineConfig } from 'vite'

// Served by the reference server under /react/.
export default defineConfig({
  base: '/react/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
})
