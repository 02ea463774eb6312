import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

export const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
export const PORT = Number(process.env.E2E_PORT ?? 8788)
export const SECOND_PORT = PORT + 1

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One reference server with shared test state (/test/reset): tests run one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: process.env.E2E_OUTPUT ?? 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromium, args: CHROMIUM_ARGS },
    trace: 'off',
  },
  webServer: {
    command: 'node demo/server/main.mjs',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 20_000,
    env: { SESSION_VAULT_TEST: '1', QUIET: '1', PORT: String(PORT), TEST_SECOND_PORT: String(SECOND_PORT) },
  },
})
