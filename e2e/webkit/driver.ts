// The WebKit suite's fixture: per test file, a reference server (in this
// process, port 0, test mode) behind HTTPS proxies (see e2e/support/webkit.mjs for why),
// one WebDriver session of WebKitGTK's MiniBrowser (WebKitWebDriver allows one
// at a time; global-setup.ts started it and Xvfb), and page-side helpers.
// Between tests: the server is reset, extra tabs are closed, and the origin's
// cookies and storage are wiped (checked empty), so tests share the session
// safely.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { By, until, type WebDriver } from 'selenium-webdriver'
import { afterAll, beforeAll, beforeEach, expect, inject } from 'vitest'
import { type RunningServer, startServer } from '../../demo/server/app.mjs'
import { ALICE, type Counters, type Lifetimes, TOKEN_AUTH } from '../support/reference.mjs'
import type { Tab } from '../support/tab.js'
import { FORM_SIGN_IN_MS, PROMPT_MS } from '../support/timeouts.js'
import { type Certificate, makeCertificate, newWebKitSession, TlsProxy } from '../support/webkit.mjs'
import type { SessionEventRecord } from '../support/window.js'

export { poll } from '../support/tab.js'

const SCENARIOS = readFileSync(fileURLToPath(new URL('../support/scenarios.js', import.meta.url)), 'utf8')

export type { Counters, Lifetimes, SessionEventRecord }
export { ALICE, TOKEN_AUTH }

export type Attempt<T = unknown> = { ok: boolean; value?: T; error?: { name: string; code?: string; message: string } }

/** The reference server's test-support routes, called from Node straight at the HTTP server (not through the proxy). */
export class TestServer {
  constructor(readonly base: string) {}

  async reset(lifetimes: Lifetimes = {}): Promise<void> {
    await this.#call('POST', '/test/reset', lifetimes)
  }

  tokens(): Promise<{ accessToken: string; refreshToken: string; all: string[] }> {
    return this.#call('GET', '/test/tokens')
  }

  counters(): Promise<Counters> {
    return this.#call('GET', '/test/counters')
  }

  async secondOriginLog(): Promise<{ method: string; path: string; hasAuthorization: boolean }[]> {
    return (await this.#call<{ requests: [] }>('GET', '/test/second-origin-log')).requests
  }

  async post(path: string, data?: unknown): Promise<void> {
    await this.#call('POST', path, data)
  }

  get<T>(path: string): Promise<T> {
    return this.#call('GET', path)
  }

  async #call<T>(method: string, path: string, data?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.base), {
      method,
      ...(data === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) }),
    })
    if (!response.ok) throw new Error(`test server: ${response.status} for ${path}`)
    return response.json() as Promise<T>
  }
}

export interface WebKit {
  driver: WebDriver
  /** The app's origin as the browser sees it: https://127.0.0.1:<port> (the proxy). */
  origin: string
  /**
   * The reference server's own plain-HTTP origin, for flows that need no cookie of it (OAuth): WebKit
   * blocks http:// loopback requests from an https:// page as mixed content, and demo/oauth speaks HTTP.
   */
  httpOrigin: string
  /** The second (untrusted) origin, also over HTTPS. */
  secondOrigin: string
  proxy: TlsProxy
  server: TestServer
  certificate: Certificate
  /** Runs `fn(...args)` in the current page (async allowed; scenarios.js installed first) and resolves its JSON result. */
  run<T = unknown>(fn: (...args: never[]) => T | Promise<T>, ...args: unknown[]): Promise<Awaited<T>>
  /** Navigates to `path` of the origin (or an absolute URL). */
  go(pathOrUrl: string): Promise<void>
  /** Opens the harness page and waits for its module. */
  openHarness(url?: string): Promise<void>
  /** `window.start({ auth: TOKEN_AUTH, dialog: false, ...options })` in the harness. */
  startSession(
    options?: Record<string, unknown>,
  ): Promise<{ state: string; error?: { name: string; code: string; message: string } }>
  login(credentials?: { username: string; password: string }): Promise<Attempt>
  /** Harness page, session, login: signed in as alice. */
  signedIn(options?: Record<string, unknown>): Promise<void>
  /** Cookie mode: alice through /classic/login's form (real typing, a real click), on /classic/ with the script tag's session signed in. */
  classicSignedIn(): Promise<void>
  state(): Promise<string>
  events(name?: string): Promise<SessionEventRecord[]>
  /** Waits (polling in the page) until `count` events named `name` were recorded; returns them all. */
  waitForEvents(name: string, timeout?: number, count?: number): Promise<SessionEventRecord[]>
  /** Waits until `fn(...args)` in the page returns a truthy value; returns it. */
  waitInPage<T>(fn: (...args: never[]) => T | Promise<T>, args?: unknown[], timeout?: number): Promise<Awaited<T>>
  vaultFetch(
    url: string,
    init?: Record<string, unknown>,
  ): Promise<Attempt<{ status: number; text: string; redirected: boolean; url: string }>>
  /** Opens a new tab on the harness and switches to it; resolves its window handle. */
  newTab(): Promise<string>
  /** Every cookie of the origin's host, HttpOnly ones included (WebDriver sees them all). */
  cookies(): Promise<{ name: string; httpOnly?: boolean; secure?: boolean }[]>
}

function pageScript(fn: string): string {
  // Arguments come as WebDriver arguments, never in the script text (a token may be one of them).
  // The result goes through JSON in the page, so undefined properties are dropped as in Playwright.
  return `const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
${SCENARIOS}
Promise.resolve().then(() => (${fn}).apply(null, args)).then(
  (value) => done({ ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) }),
  (error) => done({ ok: false, error: error && error.name ? error.name + ': ' + error.message + '\\n' + error.stack : String(error) }),
);`
}

/** Registers the file's hooks and returns the fixture (its fields are filled in by `beforeAll`). */
export function useWebKit(options: { lifetimes?: Lifetimes } = {}): WebKit {
  let running: RunningServer | undefined
  let second: TlsProxy | undefined
  const wk = {} as WebKit

  beforeAll(async () => {
    running = await startServer({ port: 0, test: true, quiet: true })
    wk.certificate = makeCertificate()
    wk.proxy = await TlsProxy.start(running.url, wk.certificate)
    second = await TlsProxy.start(running.secondUrl!, wk.certificate)
    wk.origin = wk.proxy.origin
    wk.httpOrigin = new URL(running.url).origin
    wk.secondOrigin = second.origin
    wk.server = new TestServer(running.url)
    wk.driver = await newWebKitSession(inject('webdriverUrl'))
  })

  afterAll(async () => {
    await wk.driver?.quit().catch(() => {})
    await second?.close()
    await wk.proxy?.close()
    await running?.close()
  })

  beforeEach(async () => {
    await wk.server.reset(options.lifetimes)
    const handles = await wk.driver.getAllWindowHandles()
    for (const handle of handles.slice(1)) {
      await wk.driver.switchTo().window(handle)
      await wk.driver.close()
    }
    await wk.driver.switchTo().window(handles[0]!)
    await wk.go('/e2e/webkit/blank.html')
    await clearCookies()
    const left = await wk.run(() => window.svScenarios.wipeOrigin())
    expect(left, 'the origin holds nothing at the start of a test').toEqual({
      localStorage: [],
      sessionStorage: [],
      databases: [],
      caches: [],
      documentCookie: '',
    })
    expect(await wk.cookies()).toEqual([])
  })

  /** Deletes every cookie of the host; WebKit's "delete all cookies" can leave a `__Host-` one behind, so delete by name and check. */
  async function clearCookies(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      await wk.driver.manage().deleteAllCookies()
      const left = await wk.driver.manage().getCookies()
      if (left.length === 0) return
      for (const cookie of left) await wk.driver.manage().deleteCookie(cookie.name)
    }
  }

  async function runSource(source: string, args: unknown[]): Promise<unknown> {
    const result = (await wk.driver.executeAsyncScript(pageScript(source), ...args)) as {
      ok: boolean
      value?: unknown
      error?: string
    }
    if (!result.ok) throw new Error(`in the page: ${result.error}`)
    return result.value
  }

  Object.assign(wk, {
    run(fn: (...args: never[]) => unknown, ...args: unknown[]) {
      return runSource(fn.toString(), args)
    },
    async go(pathOrUrl: string) {
      await wk.driver.get(new URL(pathOrUrl, wk.origin).href)
    },
    async openHarness(url = `${wk.origin}/e2e/support/page.html`) {
      if ((await wk.driver.getCurrentUrl()) !== url) await wk.driver.get(url)
      await wk.waitInPage(() => window.harnessReady === true)
    },
    startSession(opts: Record<string, unknown> = {}) {
      return wk.run(o => window.start(o), { auth: TOKEN_AUTH, dialog: false, ...opts })
    },
    login(credentials = ALICE) {
      return wk.run(c => window.attempt(() => window.session.login(c)), credentials)
    },
    async classicSignedIn() {
      await wk.go('/classic/login')
      await wk.driver.findElement(By.css('#login-form #username')).sendKeys(ALICE.username)
      await wk.driver.findElement(By.css('#login-form #password')).sendKeys(ALICE.password)
      await wk.driver.findElement(By.css('#login-form button[type=submit]')).click()
      await wk.driver.wait(until.urlIs(`${wk.origin}/classic/`), FORM_SIGN_IN_MS)
      await wk.waitInPage(() => window.SessionVault?.current?.state === 'authenticated', [], PROMPT_MS)
    },
    async signedIn(opts: Record<string, unknown> = {}) {
      await wk.openHarness()
      expect(await wk.startSession(opts)).toEqual({ state: 'anonymous' })
      expect(await wk.login()).toEqual({ ok: true })
      expect(await wk.state()).toBe('authenticated')
    },
    state() {
      return wk.run(() => window.session.state)
    },
    async events(name?: string) {
      const all = (await wk.run(() => window.events)) as SessionEventRecord[]
      return name ? all.filter(event => event.name === name) : all
    },
    async waitForEvents(name: string, timeout = 5_000, count = 1) {
      await wk.waitInPage(
        (n: string, c: number) => window.events.filter((e: { name: string }) => e.name === n).length >= c,
        [name, count],
        timeout,
      )
      return wk.events(name)
    },
    async waitInPage(fn: (...args: never[]) => unknown, args: unknown[] = [], timeout = 5_000) {
      // The loop runs in the page (one round trip); the predicate is part of the injected script (no eval in the page).
      const waiter = `async (...all) => {
  const ms = all.pop()
  const predicate = (${fn.toString()})
  const end = Date.now() + ms
  for (;;) {
    const value = await predicate(...all)
    if (value) return { value }
    if (Date.now() > end) return { timedOut: true }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}`
      const result = (await runSource(waiter, [...args, timeout])) as { value?: unknown; timedOut?: boolean }
      if (result.timedOut)
        throw new Error(`timed out after ${timeout} ms waiting in the page for ${fn.toString().slice(0, 200)}`)
      return result.value
    },
    vaultFetch(url: string, init: Record<string, unknown> = {}) {
      return wk.run(
        (u, i) =>
          window.attempt(async () => {
            const response: Response = await window.session.fetch(u, i)
            return {
              status: response.status,
              text: await response.text(),
              redirected: response.redirected,
              url: response.url,
            }
          }),
        url,
        init,
      )
    },
    async newTab() {
      await wk.driver.switchTo().newWindow('tab')
      await wk.openHarness()
      return wk.driver.getWindowHandle()
    },
    async cookies() {
      return (await wk.driver.manage().getCookies()).map(c => ({
        name: c.name,
        httpOnly: c.httpOnly,
        secure: c.secure,
      }))
    },
  })
  return wk
}

/** A button of the default dialog by its label, clicked with real WebDriver input (through the open shadow root). */
export async function clickDialogButton(driver: WebDriver, label: string): Promise<void> {
  const host = await driver.findElement(By.css('[data-session-vault=dialog]'))
  const root = await host.getShadowRoot()
  for (const button of await root.findElements(By.css('button'))) {
    if ((await button.getText()).trim() === label) return button.click()
  }
  throw new Error(`no dialog button "${label}"`)
}

/** The WebKit session as the shared scenarios (e2e/support/*-scenarios.ts) drive it; Playwright's is `playwrightTab`. */
export function webkitTab(wk: WebKit): Tab {
  return {
    origin: wk.origin,
    step: <T>(name: string, ...args: unknown[]) =>
      wk.run(
        (step: string, stepArgs: unknown[]) =>
          (window.svScenarios[step] as (...a: unknown[]) => unknown)(...stepArgs) as Promise<T>,
        name,
        args,
      ),
    state: () => wk.state(),
    events: name => wk.events(name),
    vaultFetch: (url, init) => wk.vaultFetch(url, init),
    info: () => wk.run(() => window.session.info),
    server: wk.server,
  }
}
