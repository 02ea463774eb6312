import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isSessionVaultError, type SessionVaultErrorCode } from '../../src/shared/errors.js'
import type { AuthConfig, EndReason } from '../../src/shared/protocol.js'
import type { StoredDpopKey } from './dpop.js'
import { OAuthAuthenticator } from './oauth-auth.js'
import type { OAuthStorage, PendingLogin, PersistedSession } from './oauth-store.js'

type OAuthConfig = Extract<AuthConfig, { type: 'oauth' }>

const ISSUER = 'https://as.example.com'
const APP = 'https://app.example.com'
const META = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/token/revocation`,
  introspection_endpoint: `${ISSUER}/token/introspection`,
  end_session_endpoint: `${ISSUER}/session/end`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
}
const NOW = 1_800_000_000_000

class MemoryStore implements OAuthStorage {
  pending: PendingLogin[] = []
  key: StoredDpopKey | undefined
  session: PersistedSession | undefined
  async addPending(login: PendingLogin) {
    this.pending.push(login)
  }
  async takePending(state: string | null) {
    const found = this.pending.find(p => p.state === state)
    this.pending = found ? this.pending.filter(p => p !== found) : []
    return found
  }
  async loadKey() {
    return this.key
  }
  async saveKey(key: StoredDpopKey) {
    this.key = key
  }
  async loadSession() {
    return this.session
  }
  async saveSession(session: PersistedSession) {
    this.session = session
  }
  async deleteSession() {
    this.session = undefined
  }
  async wipe() {
    this.pending = []
    this.key = undefined
    this.session = undefined
  }
}

interface Seen {
  url: string
  method: string
  headers: Headers
  body: URLSearchParams
}

const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const idToken = (payload: Record<string, unknown>) => `${enc({ alg: 'RS256' })}.${enc(payload)}.c2ln`
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())

let seen: Seen[]
let tokenAnswer: (request: Seen, n: number) => Response
let ended: EndReason[]

function config(extra: Partial<OAuthConfig> = {}): OAuthConfig {
  return {
    type: 'oauth',
    issuer: ISSUER,
    clientId: 'spa',
    redirectUri: `${APP}/callback`,
    scope: 'openid offline_access',
    dpop: false,
    persist: 'none',
    postLogoutRedirectUri: `${APP}/bye`,
    ...extra,
  }
}

function make(extra: Partial<OAuthConfig> = {}, store = new MemoryStore()) {
  const auth = new OAuthAuthenticator(
    config(extra),
    'test:refresh',
    { end: r => ended.push(r), changed: () => {}, error: () => {} },
    { now: () => NOW, store },
  )
  return { auth, store }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

function tokens(nonce: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    access_token: `at-${Math.random().toString(36).slice(2)}-secret`,
    token_type: 'Bearer',
    expires_in: 60,
    refresh_token: `rt-${Math.random().toString(36).slice(2)}-secret`,
    id_token: idToken({
      iss: ISSUER,
      sub: 'u1',
      aud: 'spa',
      exp: NOW / 1000 + 300,
      iat: NOW / 1000,
      nonce,
      sid: 'S',
      name: 'Ann',
    }),
    ...extra,
  }
}

beforeEach(() => {
  seen = []
  ended = []
  tokenAnswer = () => json(500, {})
  let n = 0
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = String(input)
    const request: Seen = {
      url,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: new URLSearchParams(init.body instanceof URLSearchParams ? init.body : String(init.body ?? '')),
    }
    seen.push(request)
    if (url === `${ISSUER}/.well-known/openid-configuration`) return json(200, META)
    if (url === META.token_endpoint) return tokenAnswer(request, n++)
    if (url === META.revocation_endpoint) return new Response('', { status: 200 })
    return json(404, {})
  })
})

afterEach(() => vi.unstubAllGlobals())

async function rejects(promise: Promise<unknown>, code: SessionVaultErrorCode): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(isSessionVaultError(error, code), String(error)).toBe(true)
    return (error as Error).message
  }
  throw new Error(`expected ${code}`)
}

/** Starts a login; returns the authorization URL's parameters. */
async function start(auth: OAuthAuthenticator, params: Record<string, string> = {}) {
  return new URL(await auth.authorizationUrl(params)).searchParams
}

const callbackUrl = (params: Record<string, string>) => `${APP}/callback?${new URLSearchParams(params)}`

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

  it('refuses a discovery document whose issuer is not the configured one', async () => {
    const { auth } = make({ issuer: `${ISSUER}/` })
    expect(await rejects(auth.authorizationUrl({}), 'ERR_OAUTH')).toMatch(/issuer/)
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
    expect(seen.filter(r => r.url === META.token_endpoint)).toEqual([])
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
    expect(seen.filter(r => r.url === META.token_endpoint)).toEqual([])
  })

  it('exchanges the code with the verifier, checks the ID token, and exposes only public claims', async () => {
    const { auth, store } = make()
    const p = await start(auth)
    const verifier = store.pending[0]!.verifier
    const answer = tokens(p.get('nonce')!)
    tokenAnswer = () => json(200, answer)
    await auth.callback(callbackUrl({ code: 'the-code', state: p.get('state')!, iss: ISSUER }))
    const exchange = seen.find(r => r.url === META.token_endpoint)!
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
    tokenAnswer = () => json(200, tokens('another-nonce'))
    expect(
      await rejects(
        auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER })),
        'ERR_TOKEN_RESPONSE',
      ),
    ).toMatch(/nonce/)
    expect(auth.info().authenticated).toBe(false)
    // The tokens it will not keep are revoked at once.
    expect(seen.filter(r => r.url === META.revocation_endpoint).map(r => r.body.get('token_type_hint'))).toEqual([
      'refresh_token',
      'access_token',
    ])
    p = await start(auth)
    tokenAnswer = () => json(400, { error: 'invalid_grant', error_description: 'code the-code was used' })
    const message = await rejects(
      auth.callback(callbackUrl({ code: 'the-code', state: p.get('state')!, iss: ISSUER })),
      'ERR_OAUTH',
    )
    expect(message).toContain('invalid_grant')
    expect(message).not.toContain('the-code')
  })
})

describe('DPoP', () => {
  it('signs the token request, retries once with the server nonce, and binds resource requests (ath)', async () => {
    const { auth } = make({ dpop: true })
    const p = await start(auth)
    tokenAnswer = (_request, n) =>
      n === 0
        ? json(400, { error: 'use_dpop_nonce' }, { 'DPoP-Nonce': 'nonce-1' })
        : json(200, { ...tokens(p.get('nonce')!), token_type: 'DPoP' }, { 'DPoP-Nonce': 'nonce-2' })
    await auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
    const [first, second] = seen.filter(r => r.url === META.token_endpoint)
    expect(decode(first!.headers.get('DPoP')!)).toMatchObject({ htm: 'POST', htu: META.token_endpoint })
    expect(decode(first!.headers.get('DPoP')!).nonce).toBeUndefined()
    expect(decode(second!.headers.get('DPoP')!).nonce).toBe('nonce-1')
    const headers = new Headers({ Authorization: 'Basic forged', DPoP: 'forged' })
    await (await auth.grant())!.apply(headers, { method: 'PATCH', url: 'https://api.example.com/v1/x?y=1' })
    expect(headers.get('Authorization')).toMatch(/^DPoP at-/)
    const proof = decode(headers.get('DPoP')!)
    expect(proof).toMatchObject({ htm: 'PATCH', htu: 'https://api.example.com/v1/x' })
    expect(proof.ath).toBe(createHash('sha256').update(headers.get('Authorization')!.slice(5)).digest('base64url'))
  })

  it('refuses a Bearer answer when DPoP was asked for', async () => {
    const { auth } = make({ dpop: true })
    const p = await start(auth)
    tokenAnswer = () => json(200, tokens(p.get('nonce')!))
    await rejects(auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER })), 'ERR_TOKEN_RESPONSE')
  })

  it('persist dpop: stores the refresh token with the key thumbprint, restores from it, rotates it', async () => {
    const store = new MemoryStore()
    const { auth } = make({ dpop: true, persist: 'dpop' }, store)
    const p = await start(auth)
    const first = { ...tokens(p.get('nonce')!), token_type: 'DPoP' }
    tokenAnswer = () => json(200, first)
    await auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
    expect(store.session).toMatchObject({ refreshToken: first.refresh_token, sub: 'u1', claims: { name: 'Ann' } })
    expect(JSON.stringify(store.session)).not.toContain(first.access_token)

    // A new tab: another authenticator over the same storage.
    const second = { ...tokens(undefined), token_type: 'DPoP' }
    tokenAnswer = () => json(200, second)
    const { auth: tab } = make({ dpop: true, persist: 'dpop' }, store)
    await tab.restore()
    expect(tab.info()).toMatchObject({ authenticated: true, claims: { sub: 'u1' } })
    const refresh = seen.filter(r => r.url === META.token_endpoint).at(-1)!
    expect(refresh.body.get('refresh_token')).toBe(first.refresh_token)
    expect(refresh.headers.get('DPoP')).toBeTruthy()
    expect(store.session!.refreshToken).toBe(second.refresh_token)

    // The first tab's next refresh uses the rotated token from storage, not its spent one.
    const third = { ...tokens(undefined), token_type: 'DPoP' }
    tokenAnswer = () => json(200, third)
    const used = (await auth.grant())!
    expect(await auth.recover(used)).not.toBeNull()
    expect(
      seen
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
    tokenAnswer = () => json(200, answer)
    await made.auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
    return { ...made, answer }
  }

  it('single-flight: concurrent 401s make one refresh', async () => {
    const { auth, answer } = await signedIn()
    const used = (await auth.grant())!
    const next = tokens(undefined)
    tokenAnswer = () => json(200, next)
    const before = seen.length
    const spy = vi.fn()
    const all = Promise.all([auth.recover(used), auth.recover(used), auth.recover(used)].map(p => p.then(spy)))
    await all
    const refreshes = seen.slice(before).filter(r => r.url === META.token_endpoint)
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]!.body.get('refresh_token')).toBe(answer.refresh_token)
    expect(spy).toHaveBeenCalledTimes(3)
    // A stale 401 after the refresh sends nothing.
    expect(await auth.recover(used)).not.toBeNull()
    expect(seen.slice(before).filter(r => r.url === META.token_endpoint)).toHaveLength(1)
  })

  it('a refused refresh ends the session', async () => {
    const { auth } = await signedIn()
    tokenAnswer = () => json(400, { error: 'invalid_grant' })
    expect(await auth.recover((await auth.grant())!)).toBeNull()
    expect(ended).toEqual(['server'])
    expect(auth.info().authenticated).toBe(false)
  })

  it('logout revokes the refresh token then the access token; the end-session URL carries no ID token', async () => {
    const { auth, answer } = await signedIn()
    expect(await auth.endSessionUrl()).toBe(
      `${META.end_session_endpoint}?client_id=spa&post_logout_redirect_uri=${encodeURIComponent(`${APP}/bye`)}`,
    )
    expect(await auth.logout(1000)).toBe(true)
    const revocations = seen.filter(r => r.url === META.revocation_endpoint).map(r => Object.fromEntries(r.body))
    expect(revocations).toEqual([
      { token: answer.refresh_token, token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: answer.access_token, token_type_hint: 'access_token', client_id: 'spa' },
    ])
    await auth.wipe()
    expect(auth.info()).toEqual({ authenticated: false })
    expect(await auth.endSessionUrl()).toBeUndefined()
    // Nothing left to revoke: confirmed at once, without a request.
    const before = seen.length
    expect(await auth.logout(1000)).toBe(true)
    expect(seen.length).toBe(before)
  })

  it('keepalive is null; login() is not for oauth', async () => {
    const { auth } = make()
    expect(await auth.keepalive()).toBeNull()
    await rejects(auth.login(), 'ERR_INVALID_STATE')
  })
})
