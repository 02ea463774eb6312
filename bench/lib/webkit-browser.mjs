// WebKit for the benchmarks: WebKitGTK's MiniBrowser over W3C WebDriver
// (Playwright cannot drive a stock WebKit), behind the HTTPS proxy WebKit
// needs for the refresh cookie (e2e/support/webkit.mjs, shared with the WebKit
// e2e suite). Wrapped in the small part of Playwright's Browser / BrowserContext
// / Page API the benchmarks use, so each benchmark's code is the same in every
// engine:
//
//   browser.newContext() -> context.newPage(), context.close()
//   page.goto(url), page.evaluate(fn | expression, arg), page.waitForFunction(fn, arg, { timeout }),
//   page.waitForTimeout(ms), page.close()
//
// One WebDriver session holds every page (a page is a window handle, new ones
// from `switchTo().newWindow('tab')`), and it has one cookie jar: so one
// context at a time, and closing a context closes its extra tabs and wipes the
// origin's cookies and storage (what a fresh Playwright context gives). The
// session runs one command at a time, so page commands are queued; in-page
// timing (performance.now(), the events' Date.now() stamps) is unaffected.
// Over 300 lines: the Playwright-shaped wrapper has to cover each call the benchmarks make.
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { makeCertificate, newWebKitSession, startWebKitDriver, TlsProxy } from '../../e2e/support/webkit.mjs'

/** @typedef {import('selenium-webdriver').WebDriver} WebDriver */
/** @typedef {import('./common.mjs').BenchPage} BenchPage */
/** @typedef {import('./common.mjs').BenchContext} BenchContext */
/** @typedef {import('./common.mjs').BenchBrowser} BenchBrowser */
/**
 * @template Arg, R
 * @typedef {import('./common.mjs').PageFunction<Arg, R>} PageFunction
 */
/**
 * What `script()` hands back from the page.
 * @template T
 * @typedef {{ ok: true, value: T } | { ok: false, error: string }} PageResult
 */

const BLANK = '/e2e/webkit/blank.html'
/** The e2e suites' page-side steps, wipeOrigin among them (the WebKit suite wipes between tests the same way). */
const SCENARIOS = readFileSync(fileURLToPath(new URL('../../e2e/support/scenarios.js', import.meta.url)), 'utf8')

/** `waitForFunction`'s timeout when none is given: Playwright's default. */
const WAIT_FOR_FUNCTION_MS = 30_000
/** How often `waitForFunction` asks the predicate again in the page: about one animation frame. */
const WAIT_POLL_MS = 16
/** WebDriver's script timeout: the longest in-page call, a whole measurement loop (fetch overhead's 1,000 pairs under load). */
const SCRIPT_TIMEOUT_MS = 900_000

/**
 * Script body for executeAsyncScript: `source` is a function (called with the argument) or an expression (awaited).
 * @param {string} source
 */
function script(source) {
  return `const done = arguments[arguments.length - 1];
const arg = arguments[0];
Promise.resolve().then(() => {
  const value = (${source});
  return typeof value === 'function' ? value(arg) : value;
}).then(
  (value) => done({ ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) }),
  (error) => done({ ok: false, error: error && error.name ? error.name + ': ' + error.message : String(error) }),
);`
}

/**
 * Polls `predicate(arg)` in the page every animation frame or so (one WebDriver round trip).
 * @param {string} source
 * @param {number} timeout
 */
function waiter(source, timeout) {
  return `async (arg) => {
  const predicate = (${source});
  const end = Date.now() + ${Number(timeout)};
  for (;;) {
    const value = await predicate(arg);
    if (value) return value;
    if (Date.now() > end) throw new Error('waitForFunction: timed out after ${Number(timeout)} ms');
    await new Promise((resolve) => setTimeout(resolve, ${WAIT_POLL_MS}));
  }
}`
}

/**
 * A tab of the WebDriver session.
 * @implements {BenchPage}
 */
class WebKitPage {
  /**
   * @param {WebKitBrowser} browser
   * @param {string} handle the tab's window handle
   */
  constructor(browser, handle) {
    this.browser = browser
    this.handle = handle
    this.closed = false
  }

  /** @param {string} url */
  goto(url) {
    return this.browser.exclusive(this, driver => driver.get(url))
  }

  /**
   * @template R, Arg
   * @param {PageFunction<Arg, R>} fn
   * @param {Arg} [arg]
   * @returns {Promise<R>}
   */
  async evaluate(fn, arg) {
    const source = typeof fn === 'function' ? fn.toString() : String(fn)
    /** @type {PageResult<R> | null} */
    const result = await this.browser.exclusive(this, driver => driver.executeAsyncScript(script(source), arg ?? null))
    if (!result?.ok) throw new Error(`in the page (WebKit): ${result?.error}`)
    return result.value
  }

  /**
   * @template R, Arg
   * @param {PageFunction<Arg, R>} fn
   * @param {Arg} [arg]
   * @param {{ timeout?: number }} [options]
   * @returns {Promise<unknown>}
   */
  waitForFunction(fn, arg, { timeout = WAIT_FOR_FUNCTION_MS } = {}) {
    const source = typeof fn === 'function' ? fn.toString() : `() => (${fn})`
    return this.evaluate(waiter(source, timeout), arg)
  }

  /** @param {number} ms */
  waitForTimeout(ms) {
    return sleep(ms)
  }

  async close() {
    if (this.closed) return
    this.closed = true
    const context = this.browser.context
    if (this.handle === this.browser.home) {
      // The session's first window stays open (closing it would end the session): park it on a blank page.
      await this.browser.exclusive(this, driver => driver.get(this.browser.blank))
    } else {
      await this.browser.exclusive(this, driver => driver.close())
      this.browser.current = null
    }
    if (context) context.pages = context.pages.filter(page => page !== this)
  }
}

/**
 * The session's cookie jar and its tabs.
 * @implements {BenchContext}
 */
class WebKitContext {
  /** @param {WebKitBrowser} browser */
  constructor(browser) {
    this.browser = browser
    /** @type {WebKitPage[]} */
    this.pages = []
  }

  async newPage() {
    const { browser } = this
    let handle
    if (!this.pages.some(page => page.handle === browser.home)) {
      handle = browser.home
    } else {
      handle = await browser.queued(async driver => {
        await driver.switchTo().newWindow('tab')
        return driver.getWindowHandle()
      })
      browser.current = handle
    }
    const page = new WebKitPage(browser, handle)
    this.pages.push(page)
    return page
  }

  /** Closes every tab but the session's first, and wipes the origin's cookies and storage. */
  async close() {
    const { browser } = this
    for (const page of [...this.pages].reverse()) await page.close()
    await browser.wipe()
    browser.context = null
  }
}

/**
 * What a WebKit browser runs on: Xvfb and WebKitWebDriver, the HTTPS proxy, the WebDriver session.
 * @typedef {{
 *   services?: Awaited<ReturnType<typeof startWebKitDriver>>,
 *   proxy?: TlsProxy,
 *   driver?: WebDriver,
 * }} Services
 */

/**
 * Ends what was started (the session, the proxy, then Xvfb and the driver), whatever fails.
 * @param {Services} started
 */
async function stopAll({ services, proxy, driver }) {
  await driver?.quit().catch(() => {})
  await proxy?.close().catch(() => {})
  services?.stop()
}

/** @implements {BenchBrowser} */
export class WebKitBrowser {
  /** @type {Required<Services>} */
  #started
  #version
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve()

  /**
   * Use `WebKitBrowser.launch`.
   * @param {Required<Services>} started
   * @param {{ version: string, home: string }} session
   */
  constructor(started, { version, home }) {
    this.#started = started
    this.#version = version
    this.driver = started.driver
    /** The proxy's https:// origin (with a trailing slash): the one the pages must use. */
    this.origin = `${started.proxy.origin}/`
    this.blank = new URL(BLANK, this.origin).href
    /** The session's first window (never closed: that would end the session). */
    this.home = home
    /**
     * The window WebDriver is switched to (null after closing one).
     * @type {string | null}
     */
    this.current = home
    /** @type {WebKitContext | null} */
    this.context = null
  }

  /**
   * Starts Xvfb, WebKitWebDriver, an HTTPS proxy for `target` (the reference
   * server's http:// origin) and one MiniBrowser session. `origin` is the
   * proxy's https:// origin: the one the pages must use.
   * @param {string} target
   * @param {{ scriptTimeout?: number }} [options]
   */
  static async launch(target, { scriptTimeout = SCRIPT_TIMEOUT_MS } = {}) {
    /** @type {Services} */
    const started = {}
    try {
      const services = (started.services = await startWebKitDriver())
      const proxy = (started.proxy = await TlsProxy.start(target, makeCertificate()))
      const driver = (started.driver = await newWebKitSession(services.webdriverUrl, { scriptTimeout }))
      const capabilities = await driver.getCapabilities()
      return new WebKitBrowser(
        { services, proxy, driver },
        {
          version: `${capabilities.get('browserName')} ${capabilities.get('browserVersion')}`,
          home: await driver.getWindowHandle(),
        },
      )
    } catch (error) {
      await stopAll(started)
      throw error
    }
  }

  /** e.g. "MiniBrowser 2.48.5" (WebKitGTK's version). */
  version() {
    return this.#version
  }

  async newContext() {
    if (this.context)
      throw new Error('bench (WebKit): one browser context at a time (one WebDriver session, one cookie jar)')
    this.context = new WebKitContext(this)
    return this.context
  }

  /**
   * Runs `op(driver)` after every command queued before it.
   * @template T
   * @param {(driver: WebDriver) => T | Promise<T>} op
   * @returns {Promise<T>}
   */
  queued(op) {
    const run = this.#queue.then(() => op(this.driver))
    this.#queue = run.catch(() => {})
    return run
  }

  /**
   * Runs `op(driver)` in `page`'s window, after every command queued before it.
   * @template T
   * @param {WebKitPage} page
   * @param {(driver: WebDriver) => T | Promise<T>} op
   * @returns {Promise<T>}
   */
  exclusive(page, op) {
    return this.queued(async driver => {
      if (this.current !== page.handle) {
        await driver.switchTo().window(page.handle)
        this.current = page.handle
      }
      return op(driver)
    })
  }

  /** Everything of the origin a new Playwright context would not have: cookies (HttpOnly ones too), storage, IndexedDB. */
  wipe() {
    return this.queued(async driver => {
      if (this.current !== this.home) {
        await driver.switchTo().window(this.home)
        this.current = this.home
      }
      await driver.get(this.blank)
      /** @type {PageResult<unknown> | null} */
      const wiped = await driver.executeAsyncScript(
        script(`async () => {\n${SCENARIOS}\nreturn window.svScenarios.wipeOrigin()\n}`),
        null,
      )
      if (!wiped?.ok) throw new Error(`bench (WebKit): wiping the origin's storage failed: ${wiped?.error}`)
      // WebKit's "delete all cookies" can leave a `__Host-` one behind: delete by name and check.
      for (let round = 0; round < 3; round++) {
        await driver.manage().deleteAllCookies()
        const left = await driver.manage().getCookies()
        if (left.length === 0) return
        for (const cookie of left) await driver.manage().deleteCookie(cookie.name)
      }
      throw new Error('bench (WebKit): cookies survived the wipe')
    })
  }

  close() {
    return stopAll(this.#started)
  }
}
