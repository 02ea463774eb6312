// Global setup of the WebKit suite (`npm run test:webkit`): checks that every
// piece is installed (else fails at once with what to install), starts one
// X server (Xvfb, on a display it picks itself) and one WebKitWebDriver for
// all test files, and stops both afterwards, also when a file fails or the
// run is interrupted (e2e/support/webkit.mjs, shared with the benchmarks).
// Each test file then starts its own reference server and WebDriver session
// (e2e/webkit/driver.ts); WebKitWebDriver allows one session at a time, so
// files run one after another.
import type { TestProject } from 'vitest/node'
import { startWebKitDriver } from '../support/webkit.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** WebKitWebDriver's URL, e.g. http://127.0.0.1:4444 */
    webdriverUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const { webdriverUrl, stop } = await startWebKitDriver()
  project.provide('webdriverUrl', webdriverUrl)
  return stop
}
