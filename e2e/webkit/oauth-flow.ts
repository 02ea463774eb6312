// The WebKit OAuth suites' common part: an oidc-provider (demo/oauth) for the suite, the SDK's
// OAuth options (PKCE, DPoP, persist: 'dpop'), booting the harness page and signing in at the
// provider's form. The app runs on the reference server's plain-HTTP origin: demo/oauth speaks
// HTTP only, and WebKit blocks http://127.0.0.1 requests from an https:// page as mixed content
// (Chromium and Firefox allow loopback). The flow needs no cookie of the app's origin.
import { By, until } from 'selenium-webdriver'
import { afterAll, beforeAll } from 'vitest'
import { type RunningOAuth, type StartOAuthOptions, startOAuth } from '../../demo/oauth/index.mjs'
import type { WebKit } from './driver.js'

export interface WebKitOAuth {
  /** The running provider and resource server (from `beforeAll` on). */
  readonly oauth: RunningOAuth
  /** The harness page, registered as the redirect URI. */
  callbackUrl(): string
  /** createSession options for OAuth against the provider. */
  options(): Record<string, unknown>
  /** Waits for the harness page, then `createSession(options())`. */
  boot(): Promise<unknown>
  /** `loginWithRedirect(params)`, the provider's login form as alice, back on the callback page. */
  throughProvider(params?: Record<string, string>): Promise<void>
}

/** Starts a provider for the suite (stopped after it) and returns its helpers. */
export function useWebKitOAuth(
  wk: WebKit,
  extra: Omit<StartOAuthOptions, 'appOrigin' | 'redirectUris'> = {},
): WebKitOAuth {
  let running: RunningOAuth | undefined
  const callbackUrl = () => `${wk.httpOrigin}/e2e/support/page.html`
  beforeAll(async () => {
    running = await startOAuth({
      appOrigin: wk.httpOrigin,
      redirectUris: [callbackUrl()],
      postLogoutRedirectUris: [`${callbackUrl()}?signed-out`],
      ...extra,
    })
  })
  afterAll(async () => {
    await running?.close()
  })
  const flow: WebKitOAuth = {
    get oauth() {
      if (!running) throw new Error('the OAuth provider starts in beforeAll')
      return running
    },
    callbackUrl,
    options: () => ({
      auth: {
        type: 'oauth',
        issuer: flow.oauth.issuer,
        clientId: flow.oauth.clientId,
        redirectUri: callbackUrl(),
        scope: 'openid profile email',
        dpop: true,
        persist: 'dpop',
      },
      trustedOrigins: [wk.httpOrigin, flow.oauth.resourceUrl],
      dialog: false,
    }),
    async boot() {
      await wk.waitInPage(() => window.harnessReady === true)
      return wk.run(o => window.start(o), flow.options())
    },
    async throughProvider(params = {}) {
      await wk.run(p => {
        window.redirecting = window.attempt(() => window.session.loginWithRedirect(p))
      }, params)
      await wk.driver.wait(until.urlContains(`${flow.oauth.issuer}/interaction/`), 10_000)
      await wk.driver.findElement(By.css('input[name=login]')).sendKeys('alice')
      await wk.driver.findElement(By.css('input[name=password]')).sendKeys('any password')
      await wk.driver.findElement(By.css('button[type=submit]')).click()
      await wk.driver.wait(until.urlContains(`${callbackUrl()}?`), 10_000)
    },
  }
  return flow
}
