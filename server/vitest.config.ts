import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The Redis suites start their own redis-server; one file at a time keeps the 2 shared cores calm.
    fileParallelism: false,
  },
})
