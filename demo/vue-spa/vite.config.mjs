import { defineConfig } from 'vite'

// Served by the reference server under /vue/.
export default defineConfig({
  base: '/vue/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  // Vue's feature flags, as @vitejs/plugin-vue would set them (render functions need no plugin otherwise).
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
})
