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
import { makeCertificate, newWebKitSession, startWebKitDriver, TlsProxy } from '../../e2e/support/webkit.mjs'

const BLANK = '/e2e/webkit/blank.html'

/** Script body for executeAsyncScript: `source` is a function (called with the argument) or an expression (awaited). */
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

/** Polls `predicate(arg)` in the page every animation frame or so (one WebDriver round trip). */
function waiter(source, timeout) {
  return `async (arg) => {
  const predicate = (${source});
  const end = Date.now() + ${Number(timeout)};
  for (;;) {
    const value = await predicate(arg);
    if (value) return value;
    if (Date.now() > end) throw new Error('waitForFunction: timed out after ${Number(timeout)} ms');
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}`
}

class WebKitPage {
  constructor(browser, handle) {
    this.browser = browser
    this.handle = handle
    this.closed = false
  }

  goto(url) {
    return this.browser.exclusive(this, driver => driver.get(url))
  }

  async evaluate(fn, arg) {
    const source = typeof fn === 'function' ? fn.toString() : String(fn)
    const result = await this.browser.exclusive(this, driver => driver.executeAsyncScript(script(source), arg ?? null))
    if (!result?.ok) throw new Error(`in the page (WebKit): ${result?.error}`)
    return result.value
  }

  waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    const source = typeof fn === 'function' ? fn.toString() : `() => (${fn})`
    return this.evaluate(waiter(source, timeout), arg)
  }

  waitForTimeout(ms) {
    return new Promise(resolve => setTimeout(resolve, ms))
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

class WebKitContext {
  constructor(browser) {
    this.browser = browser
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

export class WebKitBrowser {
  #services
  #proxy
  #version
  #queue = Promise.resolve()

  /**
   * Starts Xvfb, WebKitWebDriver, an HTTPS proxy for `target` (the reference
   * server's http:// origin) and one MiniBrowser session. `origin` is the
   * proxy's https:// origin: the one the pages must use.
   */
  static async launch(target, { scriptTimeout = 900_000 } = {}) {
    const browser = new WebKitBrowser()
    try {
      browser.#services = await startWebKitDriver()
      browser.#proxy = await TlsProxy.start(target, makeCertificate())
      browser.origin = `${browser.#proxy.origin}/`
      browser.blank = new URL(BLANK, browser.origin).href
      browser.driver = await newWebKitSession(browser.#services.webdriverUrl, { scriptTimeout })
      const capabilities = await browser.driver.getCapabilities()
      browser.#version = `${capabilities.get('browserName')} ${capabilities.get('browserVersion')}`
      browser.home = await browser.driver.getWindowHandle()
      browser.current = browser.home
      browser.context = null
      return browser
    } catch (error) {
      await browser.close()
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

  /** Runs `op(driver)` after every command queued before it. */
  queued(op) {
    const run = this.#queue.then(() => op(this.driver))
    this.#queue = run.catch(() => {})
    return run
  }

  /** Runs `op(driver)` in `page`'s window, after every command queued before it. */
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
      await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
(async () => {
  localStorage.clear()
  sessionStorage.clear()
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(name)
      request.onsuccess = request.onerror = request.onblocked = () => resolve()
    })
  }
  for (const name of await caches.keys()) await caches.delete(name)
})().then(() => done(null), (error) => done(String(error)))`)
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

  async close() {
    await this.driver?.quit().catch(() => {})
    await this.#proxy?.close().catch(() => {})
    this.#services?.stop()
  }
}
