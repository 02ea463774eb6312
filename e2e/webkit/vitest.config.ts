import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The WebKit suite (`npm run test:webkit`): WebKitGTK's MiniBrowser over W3C
// WebDriver (Playwright cannot drive a stock WebKit). WebKitWebDriver allows
// one session at a time, and each file shares one session across its tests,
// so files and tests run strictly one after another.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['e2e/webkit/**/*.wd.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/webkit/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false, shuffle: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    // A WebDriver session is slow to recover from a failed test; never retry (a flaky test must show).
    retry: 0,
  },
})
