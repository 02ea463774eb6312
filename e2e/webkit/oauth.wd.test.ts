// OAuth in WebKit against oidc-provider (demo/oauth): authorization code with
// PKCE (the provider accepts S256 only, so a sign-in proves it), DPoP-bound
// tokens checked by the resource server, a non-extractable ECDSA key kept in
// IndexedDB (persist: 'dpop'), a reload that stays signed in, and a logout
// that revokes at the provider and deletes the key.
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { useWebKit } from './driver.js'
import { useWebKitOAuth } from './oauth-flow.js'

const wk = useWebKit()
const flow = useWebKitOAuth(wk)
const CALLBACK = flow.callbackUrl
const boot = flow.boot

interface Stored {
  db: string
  key: string
  value: Record<string, unknown>
  cryptoKeys: { type: string; extractable: boolean; exportable: boolean; algorithm: string }[]
}

describe('WebKit: OAuth with PKCE and DPoP', () => {
  test('sign in at the provider, DPoP-bound API calls, the key non-extractable in IndexedDB, reload, logout revokes', async () => {
    const issuedBefore = flow.oauth.issued.length
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
    await wk.driver.wait(until.urlContains(`${flow.oauth.issuer}/interaction/`), 10_000)
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
      claims: { sub: 'alice', iss: flow.oauth.issuer },
    })
    const login = flow.oauth.issued[issuedBefore]!
    expect(login.token_type).toBe('DPoP')
    // The provider demands DPoP nonces: the first proof was answered use_dpop_nonce, the retry carried it.
    expect(flow.oauth.errors.some(e => e.error === 'use_dpop_nonce')).toBe(true)

    const me = await wk.vaultFetch(`${flow.oauth.resourceUrl}/api/me`)
    expect(me.value?.status).toBe(200)
    expect(JSON.parse(me.value!.text)).toMatchObject({ sub: 'alice', token_type: 'DPoP', bound: true })
    expect(flow.oauth.resourceLog.at(-1)).toMatchObject({ scheme: 'DPoP', hasProof: true, status: 200 })
    // The bare token is refused without the proof only the vault's key can make.
    const bare = await fetch(`${flow.oauth.resourceUrl}/api/me`, {
      headers: { Authorization: `DPoP ${flow.oauth.issued.at(-1)!.access_token}` },
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
      session?.value.refreshToken === flow.oauth.issued.at(-1)!.refresh_token,
      'IndexedDB holds the latest refresh token',
    ).toBe(true)

    // A refresh (the resource server answers 401 to every token it has seen): one refresh, one replay, rotation.
    flow.oauth.expireSeen()
    expect((await wk.vaultFetch(`${flow.oauth.resourceUrl}/api/me`)).value?.status).toBe(200)
    expect(flow.oauth.issued.length).toBe(issuedBefore + 2)
    expect(flow.oauth.issued.at(-1)!.refresh_token !== login.refresh_token, 'the refresh token rotated').toBe(true)

    // A reload is still signed in, from the stored refresh token with the stored key.
    await wk.driver.navigate().refresh()
    expect(await boot()).toEqual({ state: 'authenticated' })
    expect((await wk.vaultFetch(`${flow.oauth.resourceUrl}/api/me`)).value?.status).toBe(200)

    // Logout: revoked at the provider, key and stored token deleted.
    const last = flow.oauth.issued.at(-1)!
    expect(await wk.run(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
    expect(await wk.state()).toBe('ended')
    const left = ((await wk.run(() => window.svScenarios.readIndexedDB())) as Stored[]).filter(
      e => e.db === 'session-vault-oauth',
    )
    expect(left).toEqual([])
    expect((await flow.oauth.introspect(last.refresh_token!)).active).toBe(false)
    expect((await flow.oauth.introspect(last.access_token)).active).toBe(false)
  })
})
