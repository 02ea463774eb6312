import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { OAuthConfig } from './test-fixtures.js'
import {
  APP,
  callbackUrl,
  fake,
  ISSUER,
  json,
  META,
  MemoryStore,
  make,
  rejects,
  serve,
  start,
  tokens,
} from './test-fixtures.js'

beforeEach(serve)
afterEach(() => vi.unstubAllGlobals())

describe('persist: dpop', () => {
  it('persist dpop: stores the refresh token with the key thumbprint, restores from it, rotates it', async () => {
    const store = new MemoryStore()
    const { auth } = make({ dpop: true, persist: 'dpop' }, store)
    const p = await start(auth)
    const first = { ...tokens(p.get('nonce')!), token_type: 'DPoP' }
    fake.tokenAnswer = () => json(200, first)
    await auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
    expect(store.session).toMatchObject({ refreshToken: first.refresh_token, sub: 'u1', claims: { name: 'Ann' } })
    expect(JSON.stringify(store.session)).not.toContain(first.access_token)

    // A new tab: another authenticator over the same storage.
    const second = { ...tokens(undefined), token_type: 'DPoP' }
    fake.tokenAnswer = () => json(200, second)
    const { auth: tab } = make({ dpop: true, persist: 'dpop' }, store)
    await tab.restore()
    expect(tab.info()).toMatchObject({ authenticated: true, claims: { sub: 'u1' } })
    const refresh = fake.seen.filter(r => r.url === META.token_endpoint).at(-1)!
    expect(refresh.body.get('refresh_token')).toBe(first.refresh_token)
    expect(refresh.headers.get('DPoP')).toBeTruthy()
    expect(store.session!.refreshToken).toBe(second.refresh_token)

    // The first tab's next refresh uses the rotated token from storage, not its spent one.
    const third = { ...tokens(undefined), token_type: 'DPoP' }
    fake.tokenAnswer = () => json(200, third)
    const used = (await auth.grant())!
    expect(await auth.recover(used)).not.toBeNull()
    expect(
      fake.seen
        .filter(r => r.url === META.token_endpoint)
        .at(-1)!
        .body.get('refresh_token'),
    ).toBe(second.refresh_token)
    expect(store.session!.refreshToken).toBe(third.refresh_token)
  })
})

describe('refresh, logout', () => {
  async function signedIn(extra: Partial<OAuthConfig> = {}) {
    const made = make(extra)
    const p = await start(made.auth)
    const answer = tokens(p.get('nonce')!)
    fake.tokenAnswer = () => json(200, answer)
    await made.auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
    return { ...made, answer }
  }

  it('single-flight: concurrent 401s make one refresh', async () => {
    const { auth, answer } = await signedIn()
    const used = (await auth.grant())!
    const next = tokens(undefined)
    fake.tokenAnswer = () => json(200, next)
    const before = fake.seen.length
    const spy = vi.fn()
    const all = Promise.all([auth.recover(used), auth.recover(used), auth.recover(used)].map(p => p.then(spy)))
    await all
    const refreshes = fake.seen.slice(before).filter(r => r.url === META.token_endpoint)
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]!.body.get('refresh_token')).toBe(answer.refresh_token)
    expect(spy).toHaveBeenCalledTimes(3)
    // A stale 401 after the refresh sends nothing.
    expect(await auth.recover(used)).not.toBeNull()
    expect(fake.seen.slice(before).filter(r => r.url === META.token_endpoint)).toHaveLength(1)
  })

  it('a refused refresh ends the session', async () => {
    const { auth } = await signedIn()
    fake.tokenAnswer = () => json(400, { error: 'invalid_grant' })
    expect(await auth.recover((await auth.grant())!)).toBeNull()
    expect(fake.ended).toEqual(['server'])
    expect(auth.info().authenticated).toBe(false)
  })

  it('logout revokes the refresh token then the access token; the end-session URL carries no ID token', async () => {
    const { auth, answer } = await signedIn()
    expect(await auth.endSessionUrl()).toBe(
      `${META.end_session_endpoint}?client_id=spa&post_logout_redirect_uri=${encodeURIComponent(`${APP}/bye`)}`,
    )
    expect(await auth.logout(1000)).toBe(true)
    const revocations = fake.seen.filter(r => r.url === META.revocation_endpoint).map(r => Object.fromEntries(r.body))
    expect(revocations).toEqual([
      { token: answer.refresh_token, token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: answer.access_token, token_type_hint: 'access_token', client_id: 'spa' },
    ])
    await auth.wipe()
    expect(auth.info()).toEqual({ authenticated: false })
    expect(await auth.endSessionUrl()).toBeUndefined()
    // Nothing left to revoke: confirmed at once, without a request.
    const before = fake.seen.length
    expect(await auth.logout(1000)).toBe(true)
    expect(fake.seen.length).toBe(before)
  })

  it('keepalive is null; login() is not for oauth', async () => {
    const { auth } = make()
    expect(await auth.keepalive()).toBeNull()
    await rejects(auth.login(), 'ERR_INVALID_STATE')
  })
})
