import { describe, expect, it } from 'vitest'
import { createSessionServer, memoryStore, type SessionStore, StoreUnavailableError } from '../index.js'
import {
  api,
  cookieFrom,
  form,
  json,
  loginToken,
  ORIGIN,
  refreshWith,
  request,
  setup,
  verifyDemo,
} from './helpers/harness.js'

const ALICE = { username: 'alice', password: 'correct horse' }

describe('request guard on every state-changing route', () => {
  it('refuses a POST without Session-Vault: 1, changing nothing', async () => {
    const { server } = setup()
    const { cookie, access } = await loginToken(server)
    for (const path of [
      '/auth/login',
      '/auth/refresh',
      '/auth/logout',
      '/auth/keepalive',
      '/auth/status',
      '/auth/reauth',
      '/auth/sessions/revoke-others',
    ]) {
      const response = (await server.handle(
        request(path, { ...form({ grant_type: 'refresh_token' }), cookie, bearer: access, sdkHeader: false }),
      ))!
      expect(response.status, path).toBe(403)
      expect(await response.json()).toEqual({ error: 'missing_session_vault_header' })
    }
    expect((await refreshWith(server, cookie)).response.status).toBe(200)
  })

  it('refuses cross-site Sec-Fetch-Site and foreign Origin; accepts same-origin', async () => {
    const { server, logs } = setup()
    const { cookie } = await loginToken(server)
    const guards: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'none' },
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
    ]
    for (const headers of guards) {
      const response = (await server.handle(
        request('/auth/refresh', {
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=refresh_token',
          cookie,
        }),
      ))!
      expect(response.status).toBe(403)
      expect(await response.json()).toEqual({ error: 'cross_site_request' })
      expect(response.headers.getSetCookie()).toEqual([])
      expect(response.headers.get('clear-site-data')).toBeNull()
    }
    expect(logs.filter(e => e.event === 'request_rejected')).toHaveLength(5)
    const ok = await refreshWith(server, cookie, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN },
    })
    expect(ok.response.status).toBe(200)
  })

  it('Origin: null passes only with Sec-Fetch-Site: same-origin (a same-origin form post under Referrer-Policy: no-referrer)', async () => {
    const { server } = setup({ mode: 'cookie' })
    const login = (await server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' }))))!
    const cookie = cookieFrom(login, '__Host-sv_s')!
    const { csrfToken } = (await login.json()) as { csrfToken: string }
    const post = (headers: Record<string, string>) =>
      server.authenticate(
        request('/notes', { headers: { ...headers, 'X-CSRF-Token': csrfToken }, cookie, sdkHeader: false }),
      )
    expect(await post({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).toMatchObject({ userId: 'u-alice' })
    const refusals: Record<string, string>[] = [
      { Origin: 'null' },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    ]
    for (const headers of refusals) {
      const refused = await post(headers)
      expect([refused instanceof Response && refused.status, JSON.stringify(headers)]).toEqual([
        403,
        JSON.stringify(headers),
      ])
    }
  })

  it('a cross-site logout cannot wipe cookies', async () => {
    const { server } = setup()
    const { cookie } = await loginToken(server)
    const response = (await server.handle(
      request('/auth/logout', { cookie, headers: { 'Sec-Fetch-Site': 'cross-site' } }),
    ))!
    expect(response.status).toBe(403)
    expect(response.headers.get('clear-site-data')).toBeNull()
    expect((await refreshWith(server, cookie)).response.status).toBe(200)
  })

  it('answers only its own paths and 405s a wrong method', async () => {
    const { server } = setup()
    expect(await server.handle(request('/api/me', { method: 'GET' }))).toBeUndefined()
    expect(await server.handle(request('/auth/session', { method: 'GET' }))).toBeUndefined()
    expect(await server.handle(request('/auth/login/', {}))).toBeUndefined()
    const wrong = (await server.handle(request('/auth/login', { method: 'GET' })))!
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
  })
})

describe('bad input: a clear 4xx, nothing changed, nothing thrown', () => {
  it('login: wrong media type, malformed, oversized, not an object', async () => {
    const { server } = setup()
    const cases: [Parameters<typeof request>[1], number, string][] = [
      [{ headers: { 'Content-Type': 'text/plain' }, body: '{}' }, 415, 'unsupported_media_type'],
      [{ headers: { 'Content-Type': 'application/json' }, body: '{"username":' }, 400, 'invalid_request'],
      [{ headers: { 'Content-Type': 'application/json' }, body: '[1,2]' }, 400, 'invalid_request'],
      [{ headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(20_000) }, 413, 'payload_too_large'],
      [json({ username: 'alice', password: 'wrong' }), 401, 'invalid_grant'],
      [json({ username: ['alice'], password: { $ne: 1 } }), 401, 'invalid_grant'],
    ]
    for (const [call, status, error] of cases) {
      const response = (await server.handle(request('/auth/login', call)))!
      expect(response.status).toBe(status)
      expect(await response.json()).toEqual({ error })
    }
  })

  it('refresh: missing or unknown grant type, token in the body in cookie mode, another family', async () => {
    const { server, logs } = setup()
    const a = await loginToken(server)
    const b = await loginToken(server, 'bob')
    const call = (body: Record<string, string>, extra = {}) =>
      server.handle(request('/auth/refresh', { ...form(body), cookie: a.cookie, ...extra }))
    expect((await call({}))!.status).toBe(400)
    const unknown = (await call({ grant_type: 'password' }))!
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'unsupported_grant_type' }])
    expect((await call({ grant_type: 'refresh_token', refresh_token: b.cookie.split('=')[1]! }))!.status).toBe(400)
    // a refresh token of another family than the bearer's session (or the named session_id)
    const mismatch = (await call({ grant_type: 'refresh_token' }, { bearer: b.access }))!
    expect(mismatch.status).toBe(401)
    expect(mismatch.headers.getSetCookie()).toEqual([])
    expect((await call({ grant_type: 'refresh_token', session_id: b.sessionId }))!.status).toBe(401)
    expect(logs.filter(e => e.event === 'refresh_rejected' && e.reason === 'other_family')).toHaveLength(2)
    // nothing changed: both families still rotate
    expect((await refreshWith(server, a.cookie)).response.status).toBe(200)
    expect((await refreshWith(server, b.cookie)).response.status).toBe(200)
    // an unknown token looks exactly like a spent-and-gone one
    const unknownToken = await refreshWith(server, `__Host-sv_rt=${'A'.repeat(43)}`)
    expect([unknownToken.response.status, await unknownToken.response.json()]).toEqual([
      401,
      { error: 'invalid_grant' },
    ])
  })

  it('never throws out of handle, whatever arrives', async () => {
    const { server } = setup()
    const weird: Request[] = [
      new Request(`${ORIGIN}/auth/login`, {
        method: 'POST',
        headers: { 'Session-Vault': '1', 'Content-Type': 'application/json' },
        body: new Uint8Array([0xff, 0xfe, 0x00]),
      }),
      new Request(`${ORIGIN}/auth/refresh`, {
        method: 'POST',
        headers: { 'Session-Vault': '1', Cookie: `__Host-sv_rt=${'%'.repeat(600)}` },
        body: 'grant_type=refresh_token',
      }),
      new Request(`${ORIGIN}/auth/keepalive`, {
        method: 'POST',
        headers: { 'Session-Vault': '1', Authorization: `Bearer ${'a'.repeat(5000)}` },
      }),
      new Request(`${ORIGIN}/auth/sessions/${'x'.repeat(64)}`, { method: 'DELETE', headers: { 'Session-Vault': '1' } }),
      new Request(`${ORIGIN}/auth/logout`, {
        method: 'POST',
        headers: { 'Session-Vault': '1', Cookie: ';;;=;__Host-sv_rt' },
      }),
      new Request(`${ORIGIN}/auth/login`, { method: 'PUT', headers: { 'Session-Vault': '1' }, body: 'x' }),
    ]
    for (const req of weird) {
      const response = (await server.handle(req))!
      expect(response.status).toBeGreaterThanOrEqual(200)
      expect(response.status).toBeLessThan(500)
    }
  })

  it('a throwing verifyCredentials is a 500, not a crash; a failing store is a 503', async () => {
    const boom = createSessionServer({
      mode: 'token',
      logger: false,
      verifyCredentials: () => {
        throw new Error('db down: secret=hunter2')
      },
    })
    const response = (await boom.handle(request('/auth/login', json(ALICE))))!
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain('hunter2')
    const broken = new Proxy(memoryStore(), {
      get: (target, key) => (key === 'close' ? target.close : () => Promise.reject(new StoreUnavailableError())),
    }) as SessionStore
    const down = createSessionServer({ mode: 'token', logger: false, verifyCredentials: verifyDemo, store: broken })
    const r = (await down.handle(request('/auth/login', json(ALICE))))!
    expect([r.status, r.headers.get('retry-after')]).toEqual([503, '1'])
    const auth = (await down.authenticate(request('/api/me', { method: 'GET', bearer: 'A'.repeat(43) }))) as Response
    expect(auth.status).toBe(503)
  })
})

describe('brute-force throttling', () => {
  it('per account: backoff with 429 + Retry-After, even for the right password, then it works again', async () => {
    const { server, clock, logs } = setup()
    const attempt = (password: string, ip = '10.0.0.1') =>
      server.handle(request('/auth/login', json({ username: 'alice', password })), { clientAddress: ip })
    for (let i = 0; i < 6; i++) expect((await attempt('wrong'))!.status).toBe(401)
    const locked = (await attempt('correct horse', '10.0.0.2'))!
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(logs.some(e => e.event === 'login_throttled')).toBe(true)
    clock.advance(1_001)
    expect((await attempt('correct horse', '10.0.0.2'))!.status).toBe(200)
    // a success resets the account
    for (let i = 0; i < 5; i++) expect((await attempt('wrong', '10.0.0.3'))!.status).toBe(401)
  })

  it('per client: one address spraying many accounts is slowed down', async () => {
    const { server } = setup({ throttle: { client: { freeAttempts: 3 } } })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const r = (await server.handle(request('/auth/login', json({ username: `user${i}`, password: 'x' })), {
        clientAddress: '10.9.9.9',
      }))!
      statuses.push(r.status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429])
    const other = (await server.handle(request('/auth/login', json(ALICE)), { clientAddress: '10.1.1.1' }))!
    expect(other.status).toBe(200)
  })

  it('concurrent guesses are counted before verification', async () => {
    const { server } = setup()
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        server.handle(request('/auth/login', json({ username: 'alice', password: 'nope' })), {
          clientAddress: '10.0.0.9',
        }),
      ),
    )
    expect(results.filter(r => r!.status === 401).length).toBeLessThanOrEqual(6)
    expect(results.filter(r => r!.status === 429).length).toBeGreaterThanOrEqual(34)
  })
})

describe('logs', () => {
  it('carry salted hashes, never a token, cookie, password or raw id', async () => {
    const { server, logs } = setup()
    const a = await loginToken(server)
    const r = await refreshWith(server, a.cookie)
    await refreshWith(server, a.cookie)
    await server.handle(request('/auth/login', json({ username: 'alice', password: 'wrong pw' })))
    await api(server, 'B'.repeat(43))
    const text = JSON.stringify(logs)
    for (const secret of [
      a.access,
      a.cookie.split('=')[1]!,
      r.access!,
      r.cookie!.split('=')[1]!,
      a.sessionId,
      'u-alice',
      'wrong pw',
      'correct horse',
    ]) {
      expect(text).not.toContain(secret)
    }
    expect(logs.find(e => e.event === 'login')!.sid).toMatch(/^[0-9a-f]{16}$/)
  })
})
