import { defineConfig } from 'vite'

// Served by the reference server under /vite/. Nothing session-vault specific here.
export default defineConfig({
  base: '/vite/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true },
})
