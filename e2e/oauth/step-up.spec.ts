// Issue 11, item 4 in OAuth mode: the resource server's sensitive route wants a recent sign-in
// (auth_time from introspection); the SPA steps up with loginWithRedirect({ max_age, returnTo }),
// the provider asks for the password again, and the new ID token's auth_time is checked.
import type { Page } from '@playwright/test'
import type { RunningOAuth } from '../../demo/oauth/index.mjs'
import { expect, test } from '../support/fixtures.js'
import { ORIGIN } from '../support/server.js'
import {
  boot,
  handleCallback,
  sessionOptions,
  signInWithProvider,
  startAuthorizationServer,
  submitProviderLogin,
  toLoginPage,
} from './support.js'

const MAX_AGE_S = 1
const AGED_MS = MAX_AGE_S * 1_000 + 1_100
const RETURN_TO = `${ORIGIN}/e2e/support/page.html?after=step-up`

let oauth: RunningOAuth
test.beforeAll(async () => {
  oauth = await startAuthorizationServer({ stepUpMaxAge: MAX_AGE_S })
})
test.afterAll(async () => {
  await oauth?.close()
})

function sensitive(page: Page, url: string) {
  return page.evaluate(async u => {
    try {
      return { status: (await window.session.fetch(u, { method: 'POST' })).status }
    } catch (error) {
      const { code, maxAge } = error as { code?: string; maxAge?: number }
      return { code, maxAge }
    }
  }, url)
}

for (const [name, auth, restored] of [
  ['memory only', {}, 'anonymous'],
  ['persist: dpop, upgraded in place', { dpop: true, persist: 'dpop' }, 'authenticated'],
] as const) {
  test(`OAuth (${name}): a step-up challenge keeps the session; loginWithRedirect({ max_age, returnTo }) signs in again and the action runs`, async ({
    page,
  }) => {
    const options = sessionOptions(oauth, auth)
    const url = `${oauth.resourceUrl}/api/sensitive`
    await signInWithProvider(page, oauth, options)
    await page.waitForTimeout(AGED_MS)

    expect(await sensitive(page, url)).toEqual({ code: 'ERR_STEP_UP_REQUIRED', maxAge: MAX_AGE_S })
    expect(await page.evaluate(() => window.session.state)).toBe('authenticated')

    // Signed in, a plain sign-in request is still refused; a step-up one goes to the provider.
    expect(
      await page.evaluate(() => window.attempt(() => window.session.loginWithRedirect({ prompt: 'login' }))),
    ).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_STATE' } })
    const steppedUpAt = Math.floor(Date.now() / 1000)
    const authorization = await toLoginPage(page, oauth, { max_age: String(MAX_AGE_S), returnTo: RETURN_TO })
    expect(authorization.searchParams.get('max_age')).toBe(String(MAX_AGE_S))
    expect(authorization.searchParams.has('returnTo'), 'returnTo stays in the vault').toBe(false)
    await submitProviderLogin(page)
    expect(await boot(page, options, page.url())).toEqual({ state: restored })
    expect(await handleCallback(page)).toEqual({ ok: true, value: { returnTo: RETURN_TO } })

    // The ID token proves the fresh sign-in max_age asked for (the vault checked it too).
    const authTime = (await page.evaluate(() => window.session.info.claims?.auth_time)) as number
    expect(authTime).toBeGreaterThanOrEqual(steppedUpAt)
    expect(await sensitive(page, url)).toEqual({ status: 200 })
    expect(await page.evaluate(() => window.session.state)).toBe('authenticated')
  })
}
