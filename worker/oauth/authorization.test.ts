import { createHash } from 'node:crypto'
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

describe('authorizationUrl', () => {
  it('sends PKCE S256, state, nonce and the client parameters; keeps the verifier in storage only', async () => {
    const { auth, store } = make()
    const url = new URL(await auth.authorizationUrl({ prompt: 'login', ui_locales: 'fr' }))
    expect(url.origin + url.pathname).toBe(META.authorization_endpoint)
    const p = url.searchParams
    expect(Object.fromEntries(p)).toMatchObject({
      response_type: 'code',
      client_id: 'spa',
      redirect_uri: `${APP}/callback`,
      scope: 'openid offline_access',
      code_challenge_method: 'S256',
      prompt: 'login',
      ui_locales: 'fr',
    })
    expect(p.get('state')).toMatch(/^[\w-]{43}$/)
    expect(p.get('nonce')).toMatch(/^[\w-]{43}$/)
    expect(p.has('dpop_jkt')).toBe(false)
    expect(store.pending).toHaveLength(1)
    const pending = store.pending[0]!
    expect(pending).toMatchObject({ state: p.get('state'), nonce: p.get('nonce'), createdAt: NOW })
    expect(pending.verifier).toMatch(/^[\w-]{43}$/)
    expect(url.href).not.toContain(pending.verifier)
    expect(p.get('code_challenge')).toBe(createHash('sha256').update(pending.verifier).digest('base64url'))
  })

  it('refuses extra parameters that would override its own', async () => {
    const { auth } = make()
    for (const name of ['state', 'redirect_uri', 'code_challenge_method', 'response_mode', 'scope', 'request_uri']) {
      expect(await rejects(auth.authorizationUrl({ [name]: 'x' }), 'ERR_BAD_OPTIONS')).toContain(name)
    }
  })

  it('with dpop: names the vault key in dpop_jkt and keeps the key non-extractable', async () => {
    const { auth, store } = make({ dpop: true })
    const p = await start(auth)
    expect(store.key?.privateKey.extractable).toBe(false)
    const jwk = store.key!.publicJwk
    const jkt = createHash('sha256')
      .update(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`)
      .digest('base64url')
    expect(p.get('dpop_jkt')).toBe(jkt)
    expect(store.pending[0]!.jkt).toBe(jkt)
  })
})

describe('callback checks', () => {
  it('a provider error gives ERR_OAUTH_CALLBACK with its code only, and consumes the pending login', async () => {
    const { auth, store } = make()
    const p = await start(auth)
    const message = await rejects(
      auth.callback(
        callbackUrl({ error: 'access_denied', error_description: '<script>alert(1)</script>', state: p.get('state')! }),
      ),
      'ERR_OAUTH_CALLBACK',
    )
    expect(message).toContain('access_denied')
    expect(message).not.toContain('script')
    expect(store.pending).toEqual([])
    expect(auth.info()).toEqual({ authenticated: false })
    expect(
      await rejects(auth.callback(callbackUrl({ error: 'x" onload="evil()', state: 's' })), 'ERR_OAUTH_CALLBACK'),
    ).not.toContain('evil')
  })

  it('a wrong state is refused and burns every pending login', async () => {
    const { auth, store } = make()
    const p = await start(auth)
    await start(auth)
    expect(
      await rejects(auth.callback(callbackUrl({ code: 'c', state: 'forged', iss: ISSUER })), 'ERR_OAUTH_CALLBACK'),
    ).toMatch(/state/)
    expect(store.pending).toEqual([])
    expect(
      await rejects(
        auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER })),
        'ERR_OAUTH_CALLBACK',
      ),
    ).toMatch(/state/)
    expect(fake.seen.filter(r => r.url === META.token_endpoint)).toEqual([])
  })

  it('refuses a missing state or code, a wrong or missing iss, repeated parameters and the wrong page', async () => {
    const { auth } = make()
    const cases: [Record<string, string> | string, RegExp][] = [
      [{ code: 'c', iss: ISSUER }, /state missing/],
      [{ state: '#', iss: ISSUER }, /code missing/],
      [{ code: 'c', state: '#', iss: 'https://evil.example.com' }, /iss does not match/],
      [{ code: 'c', state: '#' }, /iss missing/],
      [`${APP}/callback?code=a&code=b&state=#&iss=${encodeURIComponent(ISSUER)}`, /code repeated/],
      [`${APP}/elsewhere?code=c&state=#&iss=${encodeURIComponent(ISSUER)}`, /redirect URI/],
      ['not a url', /not a URL/],
    ]
    for (const [params, why] of cases) {
      const state = (await start(auth)).get('state')!
      const url =
        typeof params === 'string'
          ? params.replace('#', state)
          : callbackUrl(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === '#' ? state : v])))
      expect(await rejects(auth.callback(url), 'ERR_OAUTH_CALLBACK')).toMatch(why)
      expect(auth.info().authenticated).toBe(false)
    }
    expect(fake.seen.filter(r => r.url === META.token_endpoint)).toEqual([])
  })

  it('exchanges the code with the verifier, checks the ID token, and exposes only public claims', async () => {
    const { auth, store } = make()
    const p = await start(auth)
    const verifier = store.pending[0]!.verifier
    const answer = tokens(p.get('nonce')!)
    fake.tokenAnswer = () => json(200, answer)
    await auth.callback(callbackUrl({ code: 'the-code', state: p.get('state')!, iss: ISSUER }))
    const exchange = fake.seen.find(r => r.url === META.token_endpoint)!
    expect(Object.fromEntries(exchange.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: `${APP}/callback`,
      code_verifier: verifier,
      client_id: 'spa',
    })
    expect(exchange.headers.has('DPoP')).toBe(false)
    const info = auth.info()
    expect(info).toEqual({
      authenticated: true,
      expiresAt: NOW + 60_000,
      claims: { iss: ISSUER, sub: 'u1', aud: 'spa', exp: NOW / 1000 + 300, iat: NOW / 1000, name: 'Ann' },
    })
    expect(JSON.stringify(info)).not.toMatch(/secret|c2ln/)
    expect(store.pending).toEqual([])
    expect(store.session).toBeUndefined()
    // The token goes out as Bearer, and never to the authorization server's own endpoints.
    const grant = (await auth.grant())!
    const headers = new Headers()
    await grant.apply(headers, { method: 'GET', url: 'https://api.example.com/x' })
    expect(headers.get('Authorization')).toBe(`Bearer ${answer.access_token}`)
    expect(auth.isReserved(`${META.token_endpoint}?x=1`)).toBe(true)
    expect(auth.isReserved(META.introspection_endpoint)).toBe(true)
    expect(auth.isReserved('https://api.example.com/x')).toBe(false)
    await rejects(
      Promise.resolve(grant.apply(new Headers(), { method: 'POST', url: META.revocation_endpoint })),
      'ERR_RESERVED_URL',
    )
  })

  it('refuses an ID token with the wrong nonce, and a token error answer, without echoing secrets', async () => {
    const { auth } = make()
    let p = await start(auth)
    fake.tokenAnswer = () => json(200, tokens('another-nonce'))
    expect(
      await rejects(
        auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER })),
        'ERR_TOKEN_RESPONSE',
      ),
    ).toMatch(/nonce/)
    expect(auth.info().authenticated).toBe(false)
    // The tokens it will not keep are revoked at once.
    expect(fake.seen.filter(r => r.url === META.revocation_endpoint).map(r => r.body.get('token_type_hint'))).toEqual([
      'refresh_token',
      'access_token',
    ])
    p = await start(auth)
    fake.tokenAnswer = () => json(400, { error: 'invalid_grant', error_description: 'code the-code was used' })
    const message = await rejects(
      auth.callback(callbackUrl({ code: 'the-code', state: p.get('state')!, iss: ISSUER })),
      'ERR_OAUTH',
    )
    expect(message).toContain('invalid_grant')
    expect(message).not.toContain('the-code')
  })
})
