// The one place that knows where each engine is and how to start it: used by
// playwright.config.ts, the WebKit WebDriver suite, the benchmarks, the
// hidden-tab test and `npm test`'s preflight (scripts/check-browsers.mjs).
//
// Debian's packages by default (chromium, firefox-esr, webkit2gtk-driver + xvfb);
// CHROMIUM_PATH, FIREFOX_PATH, WEBKIT_DRIVER_PATH and MINIBROWSER_PATH override.
// Playwright 1.64.x is pinned: 1.65 cannot drive Firefox ESR 153 over
// WebDriver BiDi (`emulation.setMediaFeaturesOverride: unknown command`).
import { existsSync } from 'node:fs'

const firstExisting = (...paths) => paths.find(path => path && existsSync(path))

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Every engine the suite runs, with where it lives here and how to install it on Debian. */
export const ENGINES = {
  chromium: {
    path: process.env.CHROMIUM_PATH ?? firstExisting('/usr/bin/chromium'),
    install: 'apt-get install chromium   (or: npx playwright install chromium, then unset CHROMIUM_PATH)',
  },
  firefox: {
    path: process.env.FIREFOX_PATH ?? firstExisting('/usr/lib/firefox-esr/firefox-esr'),
    install: 'apt-get install firefox-esr   (any Firefox that Playwright 1.64 drives over BiDi: set FIREFOX_PATH)',
  },
  webkit: {
    path: process.env.WEBKIT_DRIVER_PATH ?? firstExisting('/usr/bin/WebKitWebDriver'),
    miniBrowser:
      process.env.MINIBROWSER_PATH ??
      firstExisting(
        '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
      ),
    xvfb: firstExisting('/usr/bin/Xvfb'),
    install: 'apt-get install webkit2gtk-driver xvfb',
  },
}

/** `launchOptions` for Playwright's chromium project and the benchmarks. */
export function chromiumLaunch() {
  return { executablePath: ENGINES.chromium.path, args: CHROMIUM_ARGS }
}

/** `launchOptions` for Playwright's firefox project: a stock Firefox over WebDriver BiDi. */
export function firefoxLaunch() {
  return {
    channel: 'moz-firefox',
    executablePath: ENGINES.firefox.path,
    firefoxUserPrefs: {
      // No first-run pages, updates or telemetry in tests.
      'browser.shell.checkDefaultBrowser': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      // Back/forward cache off, as Playwright starts Chromium (--disable-back-forward-cache);
      // e2e/back-button turns it on where it tests it.
      'browser.sessionhistory.max_total_viewers': 0,
    },
  }
}

/** Launch options of `engine` with its back/forward cache on (Playwright turns it off by default). */
export function withBackForwardCache(engine) {
  if (engine === 'chromium') return { ...chromiumLaunch(), ignoreDefaultArgs: ['--disable-back-forward-cache'] }
  const options = firefoxLaunch()
  return {
    ...options,
    firefoxUserPrefs: { ...options.firefoxUserPrefs, 'browser.sessionhistory.max_total_viewers': -1 },
  }
}

/** What is missing for `engines`, as lines a person can act on. */
export function missingEngines(engines = Object.keys(ENGINES)) {
  const missing = []
  for (const name of engines) {
    const engine = ENGINES[name]
    const parts = name === 'webkit' ? [engine.path, engine.miniBrowser, engine.xvfb] : [engine.path]
    if (parts.some(part => !part || !existsSync(part)))
      missing.push(`${name}: not found. Install it with: ${engine.install}`)
  }
  return missing
}
