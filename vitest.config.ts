import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'worker/**/*.test.ts', 'demo/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
  },
})
