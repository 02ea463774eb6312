// OAuth in WebKit against oidc-provider (demo/oauth): authorization code with
// PKCE (the provider accepts S256 only, so a sign-in proves it), DPoP-bound
// tokens checked by the resource server, a non-extractable ECDSA key kept in
// IndexedDB (persist: 'dpop'), a reload that stays signed in, and a logout
// that revokes at the provider and deletes the key.
import { By, until } from 'selenium-webdriver'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type RunningOAuth, startOAuth } from '../../demo/oauth/index.mjs'
import { useWebKit } from './driver.js'

const wk = useWebKit()
let oauth: RunningOAuth
// The app runs on the reference server's plain-HTTP origin here: demo/oauth speaks HTTP only, and WebKit
// blocks http://127.0.0.1 requests from an https:// page as mixed content (Chromium and Firefox allow
// loopback). The OAuth flow needs no cookie of the app's origin, so the Secure-cookie issue does not arise.
const CALLBACK = () => `${wk.httpOrigin}/e2e/support/page.html`

beforeAll(async () => {
  oauth = await startOAuth({
    appOrigin: wk.httpOrigin,
    redirectUris: [CALLBACK()],
    postLogoutRedirectUris: [`${CALLBACK()}?signed-out`],
  })
})

afterAll(async () => {
  await oauth?.close()
})

const options = () => ({
  auth: {
    type: 'oauth',
    issuer: oauth.issuer,
    clientId: oauth.clientId,
    redirectUri: CALLBACK(),
    scope: 'openid profile email',
    dpop: true,
    persist: 'dpop',
  },
  trustedOrigins: [wk.httpOrigin, oauth.resourceUrl],
  dialog: false,
})

const boot = async () => {
  await wk.waitInPage(() => window.harnessReady === true)
  return wk.run(o => window.start(o), options())
}

interface Stored {
  db: string
  key: string
  value: Record<string, unknown>
  cryptoKeys: { type: string; extractable: boolean; exportable: boolean; algorithm: string }[]
}

describe('WebKit: OAuth with PKCE and DPoP', () => {
  test('sign in at the provider, DPoP-bound API calls, the key non-extractable in IndexedDB, reload, logout revokes', async () => {
    const issuedBefore = oauth.issued.length
    await wk.openHarness(CALLBACK())
    expect(await boot()).toEqual({ state: 'anonymous' })
    const started = await wk.run(() => {
      window.redirecting = window.attempt(() => window.session.loginWithRedirect())
      return Promise.race([window.redirecting, new Promise(resolve => setTimeout(() => resolve('navigating'), 1_500))])
    })
    expect(
      started === 'navigating' || (started as { ok?: boolean }).ok === true,
      `loginWithRedirect: ${JSON.stringify(started)}`,
    ).toBe(true)
    await wk.driver.wait(until.urlContains(`${oauth.issuer}/interaction/`), 10_000)
    await wk.driver.findElement(By.css('input[name=login]')).sendKeys('alice')
    await wk.driver.findElement(By.css('input[name=password]')).sendKeys('any password')
    await wk.driver.findElement(By.css('button[type=submit]')).click()
    await wk.driver.wait(until.urlContains(`${CALLBACK()}?`), 10_000)
    expect(await boot()).toEqual({ state: 'anonymous' })
    expect(await wk.run(() => window.attempt(() => window.session.handleRedirectCallback()))).toEqual({
      ok: true,
      value: {},
    })
    expect(await wk.state()).toBe('authenticated')
    expect(await wk.driver.getCurrentUrl(), 'code, state and iss left the address bar').toBe(CALLBACK())
    expect(await wk.run(() => window.session.info)).toMatchObject({
      authenticated: true,
      claims: { sub: 'alice', iss: oauth.issuer },
    })
    const login = oauth.issued[issuedBefore]!
    expect(login.token_type).toBe('DPoP')
    // The provider demands DPoP nonces: the first proof was answered use_dpop_nonce, the retry carried it.
    expect(oauth.errors.some(e => e.error === 'use_dpop_nonce')).toBe(true)

    const me = await wk.vaultFetch(`${oauth.resourceUrl}/api/me`)
    expect(me.value?.status).toBe(200)
    expect(JSON.parse(me.value!.text)).toMatchObject({ sub: 'alice', token_type: 'DPoP', bound: true })
    expect(oauth.resourceLog.at(-1)).toMatchObject({ scheme: 'DPoP', hasProof: true, status: 200 })
    // The bare token is refused without the proof only the vault's key can make.
    const bare = await fetch(`${oauth.resourceUrl}/api/me`, {
      headers: { Authorization: `DPoP ${oauth.issued.at(-1)!.access_token}` },
    })
    expect(bare.status).toBe(401)

    // IndexedDB: a private ECDSA key that cannot be exported, and the DPoP-bound refresh token.
    const stored = ((await wk.run(() => window.svScenarios.readIndexedDB())) as Stored[]).filter(
      e => e.db === 'session-vault-oauth',
    )
    const key = stored.find(entry => entry.key.endsWith('|dpop-key'))
    expect(key?.cryptoKeys).toEqual([{ type: 'private', extractable: false, exportable: false, algorithm: 'ECDSA' }])
    const session = stored.find(entry => entry.key.endsWith('|session'))
    expect(
      session?.value.refreshToken === oauth.issued.at(-1)!.refresh_token,
      'IndexedDB holds the latest refresh token',
    ).toBe(true)

    // A refresh (the resource server answers 401 to every token it has seen): one refresh, one replay, rotation.
    oauth.expireSeen()
    expect((await wk.vaultFetch(`${oauth.resourceUrl}/api/me`)).value?.status).toBe(200)
    expect(oauth.issued.length).toBe(issuedBefore + 2)
    expect(oauth.issued.at(-1)!.refresh_token !== login.refresh_token, 'the refresh token rotated').toBe(true)

    // A reload is still signed in, from the stored refresh token with the stored key.
    await wk.driver.navigate().refresh()
    expect(await boot()).toEqual({ state: 'authenticated' })
    expect((await wk.vaultFetch(`${oauth.resourceUrl}/api/me`)).value?.status).toBe(200)

    // Logout: revoked at the provider, key and stored token deleted.
    const last = oauth.issued.at(-1)!
    expect(await wk.run(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
    expect(await wk.state()).toBe('ended')
    const left = ((await wk.run(() => window.svScenarios.readIndexedDB())) as Stored[]).filter(
      e => e.db === 'session-vault-oauth',
    )
    expect(left).toEqual([])
    expect((await oauth.introspect(last.refresh_token!)).active).toBe(false)
    expect((await oauth.introspect(last.access_token)).active).toBe(false)
  })
})
