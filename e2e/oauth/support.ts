import { expect, type Page } from '@playwright/test'
import { type RunningOAuth, type StartOAuthOptions, startOAuth } from '../../demo/oauth/index.mjs'
import type { AttemptResult } from '../support/harness.js'
import { scenario } from '../support/scenario.js'
import { ORIGIN } from '../support/server.js'

/** The redirect URI: the harness page itself (it runs `start()` and `handleRedirectCallback()` when told to). */
export const CALLBACK = `${ORIGIN}/e2e/support/page.html`
export const SIGNED_OUT = `${ORIGIN}/e2e/support/page.html?signed-out`

export const SCOPE = 'openid profile email'

/** Starts oidc-provider and the resource server on free ports, for this spec's origin. */
export function startAuthorizationServer(options: Partial<StartOAuthOptions> = {}): Promise<RunningOAuth> {
  return startOAuth({
    appOrigin: ORIGIN,
    redirectUris: [CALLBACK],
    postLogoutRedirectUris: [SIGNED_OUT],
    ...options,
  })
}

export interface VaultOAuth {
  dpop?: boolean
  persist?: 'none' | 'dpop'
  postLogoutRedirectUri?: string
}

/** createSession options for the demo provider. */
export function sessionOptions(oauth: RunningOAuth, auth: VaultOAuth = {}): Record<string, unknown> {
  return {
    auth: {
      type: 'oauth',
      issuer: oauth.issuer,
      clientId: oauth.clientId,
      redirectUri: CALLBACK,
      scope: SCOPE,
      dpop: auth.dpop ?? false,
      persist: auth.persist ?? 'none',
      ...(auth.postLogoutRedirectUri ? { postLogoutRedirectUri: auth.postLogoutRedirectUri } : {}),
    },
    trustedOrigins: [ORIGIN, oauth.resourceUrl],
    dialog: false,
  }
}

/** Loads the harness page at `url` (default: the callback page) and creates the session; resolves its state. */
export async function boot(
  page: Page,
  options: Record<string, unknown>,
  url = CALLBACK,
): Promise<{ state: string; error?: unknown }> {
  if (page.url() !== url) await page.goto(url)
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true)
  return page.evaluate(o => window.start(o), options)
}

/** `session.loginWithRedirect(params)` and wait for the provider's login page. */
export async function toLoginPage(page: Page, oauth: RunningOAuth, params: Record<string, string> = {}): Promise<URL> {
  let authorizationUrl: URL | undefined
  const onRequest = (request: { url(): string }) => {
    if (request.url().startsWith(`${oauth.issuer}/auth?`)) authorizationUrl = new URL(request.url())
  }
  page.on('request', onRequest)
  await page.evaluate(p => void window.session.loginWithRedirect(p), params)
  await page.waitForURL(url => url.href.startsWith(`${oauth.issuer}/interaction/`))
  page.off('request', onRequest)
  expect(authorizationUrl).toBeDefined()
  return authorizationUrl!
}

/** Fills the provider's development login form and waits for the redirect back to the callback page. */
export async function submitProviderLogin(page: Page, login = 'alice'): Promise<void> {
  await page.fill('input[name=login]', login)
  await page.fill('input[name=password]', 'any password')
  await Promise.all([page.waitForURL(url => url.href.startsWith(`${CALLBACK}?`)), page.click('button[type=submit]')])
}

/** `handleRedirectCallback()` on the callback page; `value` is its answer (`returnTo` after a step-up). */
export async function handleCallback(page: Page): Promise<AttemptResult> {
  const result = await page.evaluate(() => window.attempt(() => window.session.handleRedirectCallback()))
  return result.ok && JSON.stringify(result.value) === '{}' ? { ok: true } : result
}

/** OAuth mode's one sign-in: harness page, session, provider login page, callback. */
export async function signInWithProvider(
  page: Page,
  oauth: RunningOAuth,
  options: Record<string, unknown>,
  login = 'alice',
): Promise<void> {
  expect(await boot(page, options)).toEqual({ state: 'anonymous' })
  await toLoginPage(page, oauth)
  await submitProviderLogin(page, login)
  expect(await boot(page, options, page.url())).toEqual({ state: 'anonymous' })
  expect(await handleCallback(page)).toEqual({ ok: true })
  expect(await page.evaluate(() => window.session.state)).toBe('authenticated')
}

/** One IndexedDB record as an injected script reads it (the `readIndexedDB` step of support/scenarios.js). */
export interface StoredRecord {
  db: string
  store: string
  key: string
  /** The value, with each CryptoKey replaced by '[CryptoKey]'. */
  value: unknown
  cryptoKeys: { type: string; extractable: boolean; exportable: boolean; algorithm: string }[]
}

/** Raw values of every IndexedDB database of the page's origin, as an injected script would read them. */
export function readIndexedDB(page: Page): Promise<StoredRecord[]> {
  return scenario<StoredRecord[]>(page, 'readIndexedDB')
}

/** POSTs a form to the provider's token endpoint from Node (no browser, no DPoP key): the attacker with a stolen refresh token. */
export async function tokenEndpoint(
  oauth: RunningOAuth,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${oauth.issuer}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  })
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    nonce: response.headers.get('DPoP-Nonce'),
  }
}
