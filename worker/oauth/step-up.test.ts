import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  APP,
  callbackUrl,
  fake,
  ISSUER,
  json,
  META,
  make,
  NOW,
  rejects,
  serve,
  start,
  tokens,
} from './test-fixtures.js'

beforeEach(serve)
afterEach(() => vi.unstubAllGlobals())

/** An ID token answer for `nonce` whose claims add (or override) `claims`. */
function answer(nonce: string, claims: Record<string, unknown>) {
  const base = tokens(nonce)
  const [header, payload, signature] = base.id_token.split('.')
  const merged = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), ...claims }
  return { ...base, id_token: `${header}.${Buffer.from(JSON.stringify(merged)).toString('base64url')}.${signature}` }
}

async function signedIn() {
  const made = make()
  const p = await start(made.auth)
  const first = answer(p.get('nonce')!, { auth_time: NOW / 1000 - 3600 })
  fake.tokenAnswer = () => json(200, first)
  await made.auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
  return { ...made, first }
}

async function stepUp(
  auth: Awaited<ReturnType<typeof signedIn>>['auth'],
  params: Record<string, string>,
  claims: Record<string, unknown>,
) {
  const p = await start(auth, params)
  fake.tokenAnswer = () => json(200, answer(p.get('nonce')!, claims))
  return { p, done: auth.callback(callbackUrl({ code: 'c2', state: p.get('state')!, iss: ISSUER })) }
}

describe('OAuth step-up', () => {
  it('signed in, only a step-up request may start: max_age and acr_values are sent, returnTo is not', async () => {
    const { auth } = await signedIn()
    expect(await rejects(auth.authorizationUrl({ prompt: 'login' }), 'ERR_INVALID_STATE')).toMatch(/step-up/)
    const p = await start(auth, { max_age: '0', acr_values: 'urn:mfa urn:pwd', returnTo: '/notes?x=1' })
    expect(p.get('max_age')).toBe('0')
    expect(p.get('acr_values')).toBe('urn:mfa urn:pwd')
    expect(p.has('returnTo')).toBe(false)
  })

  it('the upgraded tokens replace the old ones, which are dropped, not revoked (that would revoke the grant); returnTo comes back', async () => {
    const { auth, first } = await signedIn()
    const { done } = await stepUp(auth, { max_age: '60', returnTo: '/notes' }, { auth_time: NOW / 1000 - 5 })
    expect(await done).toEqual({ returnTo: `${APP}/notes` })
    const grant = (await auth.grant())!
    const headers = new Headers()
    await grant.apply(headers, { method: 'GET', url: `${APP}/api` })
    expect(headers.get('Authorization')).not.toContain(first.access_token)
    expect(auth.info().claims).toMatchObject({ auth_time: NOW / 1000 - 5 })
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(fake.seen.some(r => r.url === META.revocation_endpoint)).toBe(false)
  })

  it('refuses an ID token whose auth_time is missing or older than max_age; the session stays', async () => {
    const { auth, first } = await signedIn()
    const stale = await stepUp(auth, { max_age: '60' }, { auth_time: NOW / 1000 - 600 })
    expect(await rejects(stale.done, 'ERR_OAUTH_CALLBACK')).toMatch(/older than max_age/)
    const missing = await stepUp(auth, { max_age: '60' }, { auth_time: undefined })
    expect(await rejects(missing.done, 'ERR_OAUTH_CALLBACK')).toMatch(/auth_time missing/)
    const headers = new Headers()
    await (await auth.grant())!.apply(headers, { method: 'GET', url: `${APP}/api` })
    expect(headers.get('Authorization')).toBe(`Bearer ${first.access_token}`)
  })

  it('refuses an acr that is not one asked for, and another user', async () => {
    const { auth } = await signedIn()
    const weak = await stepUp(auth, { acr_values: 'urn:mfa' }, { acr: 'urn:pwd' })
    expect(await rejects(weak.done, 'ERR_OAUTH_CALLBACK')).toMatch(/acr is not one/)
    const other = await stepUp(auth, { acr_values: 'urn:mfa' }, { acr: 'urn:mfa', sub: 'someone-else' })
    expect(await rejects(other.done, 'ERR_OAUTH_CALLBACK')).toMatch(/another user/)
    const good = await stepUp(auth, { acr_values: 'urn:mfa urn:hwk' }, { acr: 'urn:hwk' })
    expect(await good.done).toEqual({})
  })

  it('checks the step-up parameters before anything is sent', async () => {
    const { auth } = make()
    await rejects(auth.authorizationUrl({ max_age: 'soon' }), 'ERR_BAD_OPTIONS')
    await rejects(auth.authorizationUrl({ acr_values: '  ' }), 'ERR_BAD_OPTIONS')
    expect(await rejects(auth.authorizationUrl({ returnTo: 'https://evil.example/' }), 'ERR_BAD_OPTIONS')).toMatch(
      /same-origin/,
    )
    expect(fake.seen).toEqual([])
  })
})
