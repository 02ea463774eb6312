// OAuth with a real oidc-provider: sign-in, PKCE, DPoP, persistence, refresh and logout. Over 300
// lines because every test shares the provider started once for the file.
import type { Page } from '@playwright/test'
import type { RunningOAuth } from '../../demo/oauth/index.mjs'
import { expect, test } from '../support/fixtures.js'
import { vaultFetch } from '../support/harness.js'
import { installHunt, placesOf } from '../support/hunt.js'
import {
  boot,
  CALLBACK,
  handleCallback,
  readIndexedDB,
  SIGNED_OUT,
  sessionOptions,
  signInWithProvider,
  startAuthorizationServer,
  tokenEndpoint,
  toLoginPage,
} from './support.js'

// oidc-provider (opaque access tokens, rotation on, DPoP, revocation, introspection)
// and a resource server that introspects and checks DPoP proofs, on free ports.
let oauth: RunningOAuth

test.beforeAll(async () => {
  oauth = await startAuthorizationServer()
})

test.afterAll(async () => {
  await oauth?.close()
})

test.beforeEach(() => {
  Object.assign(oauth.settings, { accessTokenTtl: 60, requireDpopNonce: true, resourceServerNonce: false })
})

const api = () => `${oauth.resourceUrl}/api/me`
const state = (page: Page) => page.evaluate(() => window.session.state as string)
const info = (page: Page) => page.evaluate(() => window.session.info as Record<string, unknown>)
const everyToken = () => [
  ...new Set(oauth.issued.flatMap(t => [t.access_token, t.refresh_token, t.id_token].filter((s): s is string => !!s))),
]

test('sign in through the provider, call the API, refresh, sign out: tokens revoked, nothing in the page', async ({
  page,
}) => {
  oauth.settings.accessTokenTtl = 4 // refresh due after 2 s (half the lifetime)
  const issuedBefore = oauth.issued.length
  const hunt = await installHunt(page)
  const options = sessionOptions(oauth, { postLogoutRedirectUri: SIGNED_OUT })
  await signInWithProvider(page, oauth, options)

  // The address bar lost code, state and iss; the page knows only non-secret claims.
  expect(page.url()).toBe(CALLBACK)
  const signedIn = await info(page)
  expect(signedIn).toMatchObject({
    authenticated: true,
    claims: { sub: 'alice', name: 'Alice Example', email: 'alice@example.test', iss: oauth.issuer },
  })
  for (const hidden of ['nonce', 'sid', 'at_hash', 'jti']) expect(signedIn.claims).not.toHaveProperty(hidden)
  const login = oauth.issued.slice(issuedBefore)
  expect(login).toHaveLength(1)
  expect(login[0]).toMatchObject({ token_type: 'Bearer', expires_in: 4 })
  expect(Boolean(login[0]!.refresh_token), 'a refresh token was issued').toBe(true)

  const me = await vaultFetch(page, api())
  expect(me.value?.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({
    sub: 'alice',
    client_id: oauth.clientId,
    token_type: 'Bearer',
    bound: false,
  })

  // Expiry: the vault refreshes before the call (rotation: a new refresh token).
  await page.waitForTimeout(2_300)
  expect((await vaultFetch(page, api())).value?.status).toBe(200)
  expect(oauth.issued.length).toBe(issuedBefore + 2)
  const rotated = oauth.issued.at(-1)!
  expect(Boolean(rotated.refresh_token), 'a refresh token was issued').toBe(true)
  expect(rotated.refresh_token !== login[0]!.refresh_token, 'the refresh token rotated').toBe(true)

  // Rejection: the API answers 401 to every token it has seen: one refresh, one replay.
  oauth.expireSeen()
  expect((await vaultFetch(page, api())).value?.status).toBe(200)
  expect(oauth.issued.length).toBe(issuedBefore + 3)
  expect(await state(page)).toBe('authenticated')

  // The token hunt: no access, refresh or ID token anywhere a page script can look.
  const needles = everyToken().filter(t =>
    oauth.issued.slice(issuedBefore).some(i => [i.access_token, i.refresh_token, i.id_token].includes(t)),
  )
  expect(needles.length).toBeGreaterThanOrEqual(8)
  const { findings, stats } = await hunt.run(needles)
  expect(findings).toEqual([])
  expect(stats.reachedSession).toBe(true)
  expect(stats.globalNodes).toBeGreaterThan(1_000)

  // Sign out: revocation, then RP-initiated logout at the provider (its confirmation page).
  const last = oauth.issued.at(-1)!
  await page.evaluate(() => {
    window.session.on('logout', (p: unknown) => sessionStorage.setItem('logout', JSON.stringify(p)))
    void window.session.logout()
  })
  await page.waitForURL(url => url.href.startsWith(`${oauth.issuer}/session/end`))
  expect(new URL(page.url()).searchParams.has('id_token_hint')).toBe(false)
  await Promise.all([page.waitForURL(SIGNED_OUT), page.click('button[value=yes]')])
  expect(JSON.parse((await page.evaluate(() => sessionStorage.getItem('logout')))!)).toEqual({
    reason: 'user',
    serverConfirmed: true,
  })

  // The provider says every token is dead, and the last refresh token is refused.
  for (const token of [last.access_token, last.refresh_token!, login[0]!.refresh_token!]) {
    expect((await oauth.introspect(token)).active).toBe(false)
  }
  expect(
    await tokenEndpoint(oauth, {
      grant_type: 'refresh_token',
      refresh_token: last.refresh_token!,
      client_id: oauth.clientId,
    }),
  ).toMatchObject({
    status: 400,
    body: { error: 'invalid_grant' },
  })

  // The provider session ended too: a new sign-in asks for the login again.
  expect(await boot(page, options, page.url())).toEqual({ state: 'anonymous' })
  await toLoginPage(page, oauth)
  await expect(page.locator('input[name=login]')).toBeVisible()
})

test('bad callbacks: wrong state, missing code, provider error: ERR_OAUTH_CALLBACK and still anonymous', async ({
  page,
}) => {
  const options = sessionOptions(oauth)
  const issued = oauth.issued.length
  const errors = oauth.errors.length
  const expectRefused = async (url: string, why: RegExp) => {
    if (page.url() !== url) await page.goto(url)
    expect(await boot(page, options, url)).toEqual({ state: 'anonymous' })
    const result = await handleCallback(page)
    expect(result.ok).toBe(false)
    expect(result.error).toMatchObject({ name: 'SessionVaultError', code: 'ERR_OAUTH_CALLBACK' })
    expect(result.error!.message).toMatch(why)
    expect(await state(page)).toBe('anonymous')
    expect(await info(page)).toEqual({ authenticated: false })
    expect(page.url()).toBe(CALLBACK)
  }

  // Wrong state: a real sign-in was started, a forged callback arrives.
  await boot(page, options)
  let authorization = await toLoginPage(page, oauth)
  await expectRefused(
    `${CALLBACK}?code=forged-code&state=forged-state&iss=${encodeURIComponent(oauth.issuer)}`,
    /state does not match/,
  )
  // ...and the real state is now burnt as well.
  await expectRefused(
    `${CALLBACK}?code=forged-code&state=${authorization.searchParams.get('state')}&iss=${encodeURIComponent(oauth.issuer)}`,
    /state/,
  )

  // Missing code.
  authorization = await toLoginPage(page, oauth)
  await expectRefused(
    `${CALLBACK}?state=${authorization.searchParams.get('state')}&iss=${encodeURIComponent(oauth.issuer)}`,
    /code missing/,
  )

  // The user cancels at the provider: error=access_denied comes back.
  await toLoginPage(page, oauth)
  await Promise.all([page.waitForURL(url => url.href.startsWith(`${CALLBACK}?`)), page.click('text=[ Cancel ]')])
  expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied')
  await expectRefused(page.url(), /access_denied/)

  // No code was ever exchanged.
  expect(oauth.issued.length).toBe(issued)
  expect(oauth.errors.length).toBe(errors)
})

test('DPoP: bound tokens, proofs checked by the API, persist dpop across a reload and a new tab; a stolen refresh token is useless', async ({
  page,
  context,
}) => {
  const issuedBefore = oauth.issued.length
  const hunt = await installHunt(page)
  const options = sessionOptions(oauth, { dpop: true, persist: 'dpop' })
  await signInWithProvider(page, oauth, options)
  const login = oauth.issued[issuedBefore]!
  expect(login.token_type).toBe('DPoP')
  // The provider demands DPoP nonces: the vault's first proof was answered use_dpop_nonce, the retry carried it.
  expect(oauth.errors.some(e => e.error === 'use_dpop_nonce')).toBe(true)

  const me = await vaultFetch(page, api())
  expect(me.value?.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({ sub: 'alice', token_type: 'DPoP', bound: true })
  expect(oauth.resourceLog.at(-1)).toMatchObject({ scheme: 'DPoP', hasProof: true, status: 200 })

  // The bare token is refused: without a proof, as Bearer, and with a proof from another key.
  const at = oauth.issued.at(-1)!.access_token
  for (const authorization of [`DPoP ${at}`, `Bearer ${at}`]) {
    const response = await fetch(api(), { headers: { Authorization: authorization } })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^DPoP error="(invalid_token|invalid_dpop_proof)"/)
  }
  const foreign = await foreignProof('GET', api(), at)
  expect((await fetch(api(), { headers: { Authorization: `DPoP ${at}`, DPoP: foreign } })).status).toBe(401)

  // What an injected script finds in IndexedDB: the DPoP-bound refresh token and a key it cannot export.
  const stored = await readIndexedDB(page)
  const session = stored.find(entry => entry.key.endsWith('|session'))!
  const persisted = session.value as { refreshToken?: string; claims?: Record<string, unknown> }
  expect(
    persisted.refreshToken === oauth.issued.at(-1)!.refresh_token,
    'IndexedDB holds the latest refresh token',
  ).toBe(true)
  expect(persisted.claims).toMatchObject({ sub: 'alice' })
  const key = stored.find(entry => entry.key.endsWith('|dpop-key'))!
  expect(key.cryptoKeys).toEqual([{ type: 'private', extractable: false, exportable: false, algorithm: 'ECDSA' }])
  const stolen = (session.value as { refreshToken: string }).refreshToken

  // The stolen refresh token alone, sent from elsewhere: without a proof, or with the thief's own key.
  const errorsBefore = oauth.errors.length
  const bare = await tokenEndpoint(oauth, {
    grant_type: 'refresh_token',
    refresh_token: stolen,
    client_id: oauth.clientId,
  })
  expect(bare).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  // The thief's own key, with the provider's nonce (its first try is answered use_dpop_nonce).
  const steal = (nonce?: string) =>
    foreignProof('POST', `${oauth.issuer}/token`, undefined, nonce).then(proof =>
      tokenEndpoint(
        oauth,
        { grant_type: 'refresh_token', refresh_token: stolen, client_id: oauth.clientId },
        { DPoP: proof },
      ),
    )
  let thief = await steal()
  if (thief.body.error === 'use_dpop_nonce') thief = await steal(thief.nonce!)
  expect(thief).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  expect(oauth.errors.length).toBeGreaterThan(errorsBefore)

  // ...and the family is intact: the vault's own refresh with it still works.
  oauth.expireSeen()
  expect((await vaultFetch(page, api())).value?.status).toBe(200)
  expect(await state(page)).toBe('authenticated')

  // Nothing but that refresh token is anywhere in the page; it sits only in IndexedDB.
  const secrets = oauth.issued
    .slice(issuedBefore)
    .flatMap(t => [t.access_token, t.id_token].filter((s): s is string => !!s))
  expect((await hunt.run(secrets)).findings).toEqual([])
  const refreshTokens = oauth.issued.slice(issuedBefore).map(t => t.refresh_token!)
  expect(placesOf((await hunt.run(refreshTokens)).findings)).toEqual(['indexedDB'])

  // A reload is still signed in (from the stored refresh token, with the stored key).
  await page.reload()
  expect(await boot(page, options, page.url())).toEqual({ state: 'authenticated' })
  expect(await info(page)).toMatchObject({ authenticated: true, claims: { sub: 'alice' } })
  expect((await vaultFetch(page, api())).value?.status).toBe(200)

  // So is a new tab.
  const second = await context.newPage()
  expect(await boot(second, options)).toEqual({ state: 'authenticated' })
  expect((await vaultFetch(second, api())).value?.status).toBe(200)
  const after = oauth.issued.slice(issuedBefore)
  expect(after.every(t => t.token_type === 'DPoP')).toBe(true)

  // Logout in the second tab ends both, deletes the key and the stored token, and revokes at the provider.
  await second.evaluate(() => window.session.logout())
  await expect.poll(() => state(page)).toBe('ended')
  expect((await readIndexedDB(page)).filter(entry => entry.db === 'session-vault-oauth')).toEqual([])
  expect((await readIndexedDB(second)).filter(entry => entry.db === 'session-vault-oauth')).toEqual([])
  expect((await oauth.introspect(after.at(-1)!.refresh_token!)).active).toBe(false)
  await second.close()
})

test('three tabs refreshing at the same moment, ten times: never invalid_grant, nobody logged out', async ({
  page,
  context,
}) => {
  const options = sessionOptions(oauth, { dpop: true, persist: 'dpop' })
  await signInWithProvider(page, oauth, options)
  const tabs = [page, await context.newPage(), await context.newPage()]
  for (const tab of tabs.slice(1)) expect(await boot(tab, options)).toEqual({ state: 'authenticated' })
  // Every tab has used its access token once, so the resource server knows them all.
  expect((await Promise.all(tabs.map(tab => vaultFetch(tab, api())))).map(r => r.value?.status)).toEqual([
    200, 200, 200,
  ])
  const errorsBefore = oauth.errors.length
  const issuedBefore = oauth.issued.length

  for (let round = 0; round < 10; round++) {
    oauth.expireSeen() // every access token answered 401 from now: all three tabs refresh at once
    const results = await Promise.all(tabs.map(tab => vaultFetch(tab, api())))
    expect(
      results.map(r => r.value?.status),
      `round ${round}`,
    ).toEqual([200, 200, 200])
  }

  expect(oauth.errors.slice(errorsBefore).filter(e => e.error !== 'use_dpop_nonce')).toEqual([])
  expect(oauth.issued.length - issuedBefore).toBe(30)
  for (const tab of tabs) {
    expect(await state(tab)).toBe('authenticated')
    expect(await tab.evaluate(() => window.events.filter((e: { name: string }) => e.name === 'logout'))).toEqual([])
  }
  // Every refresh token was used at most once (rotation, serialised across the tabs).
  const refreshTokens = oauth.issued.slice(issuedBefore - 1).map(t => t.refresh_token)
  expect(new Set(refreshTokens).size).toBe(refreshTokens.length)
})

test('a DPoP nonce challenge from the resource server is answered with one retry, without a refresh', async ({
  page,
}) => {
  oauth.settings.resourceServerNonce = true
  await signInWithProvider(page, oauth, sessionOptions(oauth, { dpop: true }))
  const issued = oauth.issued.length
  const log = oauth.resourceLog.length
  expect((await vaultFetch(page, api())).value?.status).toBe(200)
  expect(oauth.resourceLog.slice(log).map(e => [e.status, e.error])).toEqual([
    [401, 'use_dpop_nonce'],
    [200, undefined],
  ])
  expect(oauth.issued.length).toBe(issued)
  // The nonce is remembered for the origin: the next call needs no retry.
  expect((await vaultFetch(page, api())).value?.status).toBe(200)
  expect(oauth.resourceLog.slice(log + 2).map(e => e.status)).toEqual([200])
})

/** A DPoP proof signed by a key the vault never had (the thief's). */
async function foreignProof(htm: string, htu: string, accessToken?: string, nonce?: string): Promise<string> {
  const { SignJWT, exportJWK, generateKeyPair } = await import('jose')
  const { createHash, randomUUID } = await import('node:crypto')
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const payload: Record<string, unknown> = { jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) }
  if (accessToken) payload.ath = createHash('sha256').update(accessToken).digest('base64url')
  if (nonce) payload.nonce = nonce
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) })
    .sign(privateKey)
}
