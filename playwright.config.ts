import { defineConfig } from '@playwright/test'
import { chromiumLaunch, firefoxLaunch } from './e2e/support/browsers.mjs'
import { SERVER_START_MS, TEST_TIMEOUT_MS } from './e2e/support/timeouts.js'

export { CHROMIUM_ARGS } from './e2e/support/browsers.mjs'
export const PORT = Number(process.env.E2E_PORT ?? 8788)
export const SECOND_PORT = PORT + 1

// WebKit runs in its own WebDriver suite (e2e/webkit, `npm run test:webkit`):
// Playwright cannot drive a stock WebKitGTK. One engine: `npm run test:e2e -- --project firefox`.
export default defineConfig({
  // Specs by area, each with the pages it owns: e2e/{sdk,idle,security,classic,oauth,server,a11y}/**;
  // e2e/support holds the fixtures and helpers, e2e/webkit the WebDriver suite (*.wd.test.ts).
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One reference server with shared test state (/test/reset): tests run one at a time.
  workers: 1,
  fullyParallel: false,
  // CI runs both engines side by side on 2 cores, where a timer-heavy test can miss a beat:
  // one retry there, reported as flaky; a test that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  timeout: TEST_TIMEOUT_MS,
  reporter: [['list']],
  outputDir: process.env.E2E_OUTPUT ?? 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'off',
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium', launchOptions: chromiumLaunch() } },
    { name: 'firefox', use: { browserName: 'firefox', launchOptions: firefoxLaunch() } },
  ],
  webServer: {
    command: 'node demo/server/main.mjs',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: SERVER_START_MS,
    env: { SESSION_VAULT_TEST: '1', QUIET: '1', PORT: String(PORT), TEST_SECOND_PORT: String(SECOND_PORT) },
  },
})
