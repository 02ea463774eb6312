import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expressAuthenticate, fastifyAuthenticate, type RedisStore, redisStore } from '../index.js'
import { api, cookieFrom, form, json, loginToken, manualClock, refreshWith, request, setup } from './helpers/harness.js'
import { startRedis } from './helpers/redis-server.js'

let redis: Awaited<ReturnType<typeof startRedis>>
const stores: RedisStore[] = []
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await Promise.all(stores.map(s => s.close()))
  await redis?.close()
})

/** The same server on either store; the Redis one runs its Lua scripts on a real Redis. */
async function serverOn(kind: 'memory' | 'redis', overrides: Record<string, unknown> = {}) {
  if (kind === 'memory') return setup(overrides)
  const store = redisStore({ url: redis.url, commandTimeout: 500 })
  stores.push(store)
  await store.ready
  const clock = manualClock(Date.now())
  return { ...setup({ store, now: clock.now, ...overrides }), clock }
}

/** Tokens and the idle timeout outlive the recent-auth window, so only the step-up check is in play. */
const LONG_LIVED = { accessTokenTtl: 3600, idleTimeout: 3600 }

const reauthToken = (access: string, password: string, username = 'alice') =>
  request('/auth/reauth', { bearer: access, ...json({ username, password }) })

describe.each(['memory', 'redis'] as const)('step-up, token mode (%s store)', kind => {
  it('authenticate({ maxAge }) answers the RFC 9470 challenge once the sign-in is older, and leaves the session be', async () => {
    const { server, clock } = await serverOn(kind, LONG_LIVED)
    const { access, sessionId } = await loginToken(server)
    expect(
      await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { maxAge: 300 }),
    ).toMatchObject({
      sessionId,
    })
    clock.advance(301_000)
    const challenge = (await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), {
      maxAge: 300,
    })) as Response
    expect(challenge.status).toBe(401)
    expect(challenge.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="300"',
    )
    expect(challenge.headers.get('cache-control')).toBe('no-store')
    expect(await challenge.json()).toEqual({ error: 'insufficient_user_authentication', max_age: 300 })
    expect(await api(server, access)).toMatchObject({ sessionId })
    await expect(server.authenticate(request('/api/x', { bearer: access }), { maxAge: -1 })).rejects.toThrow(TypeError)
  })

  it('reauth: wrong or another user\u2019s credentials answer 403 and change nothing; the right ones renew the session', async () => {
    const { server, clock, logs } = await serverOn(kind, LONG_LIVED)
    const first = await loginToken(server)
    const elsewhere = await loginToken(server)
    clock.advance(400_000)

    for (const [password, username] of [
      ['wrong', 'alice'],
      ['battery staple', 'bob'],
    ] as const) {
      const refused = (await server.handle(reauthToken(first.access, password, username)))!
      expect([refused.status, await refused.json()]).toEqual([403, { error: 'invalid_credentials' }])
      expect(refused.headers.getSetCookie()).toEqual([])
    }
    expect(logs.filter(l => l.event === 'reauth_failed').map(l => l.reason)).toEqual(['credentials', 'other_user'])
    expect(await api(server, first.access)).toMatchObject({ sessionId: first.sessionId })

    const answer = (await server.handle(reauthToken(first.access, 'correct horse')))!
    expect(answer.status).toBe(200)
    const body = (await answer.json()) as Record<string, unknown>
    expect(body).toMatchObject({ token_type: 'Bearer', session_id: first.sessionId, idleExpiresIn: 3600 })
    expect(body.absoluteExpiresAt).toBe((first.body as Record<string, unknown>).absoluteExpiresAt)
    const renewed = String(body.access_token)
    expect(renewed).not.toBe(first.access)
    const cookie = cookieFrom(answer, '__Host-sv_rt')!
    expect(cookie).not.toBe(first.cookie)

    // The old secrets stop working; the new ones pass the recent-auth check; other sessions live on.
    expect(await api(server, first.access)).toBeInstanceOf(Response)
    expect((await refreshWith(server, first.cookie)).response.status).toBe(401)
    expect(await server.authenticate(request('/api/x', { bearer: renewed }), { maxAge: 300 })).toMatchObject({
      sessionId: first.sessionId,
      userId: 'u-alice',
    })
    expect(await api(server, elsewhere.access)).toMatchObject({ sessionId: elsewhere.sessionId })
    expect(logs.some(l => l.event === 'reauth')).toBe(true)
  })

  it('reauth needs a live session (401) and JSON (415), and the Session-Vault header', async () => {
    const { server } = await serverOn(kind)
    const dead = (await server.handle(reauthToken('A'.repeat(43), 'correct horse')))!
    expect([dead.status, dead.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"'])
    const { access } = await loginToken(server)
    const notJson = (await server.handle(request('/auth/reauth', { bearer: access, body: 'password=x' })))!
    expect(notJson.status).toBe(415)
    const noHeader = (await server.handle(
      request('/auth/reauth', { bearer: access, sdkHeader: false, ...json({ password: 'correct horse' }) }),
    ))!
    expect(noHeader.status).toBe(403)
  })
  it('maxAge must be a positive finite number of seconds (TypeError at the call), fractions allowed', async () => {
    const { server } = await serverOn(kind, LONG_LIVED)
    const { access } = await loginToken(server)
    for (const maxAge of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '300', null]) {
      await expect(
        server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { maxAge: maxAge as number }),
      ).rejects.toThrow(TypeError)
      expect(() => expressAuthenticate(server, { maxAge: maxAge as number })).toThrow(TypeError)
      expect(() => fastifyAuthenticate(server, { maxAge: maxAge as number })).toThrow(TypeError)
    }
    expect(
      await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { maxAge: 0.5 }),
    ).toMatchObject({ userId: 'u-alice' })
  })

  it('the challenge neither ends nor slides the session; a passing check slides it; authTime is the sign-in', async () => {
    const { server, clock } = await serverOn(kind, LONG_LIVED)
    const { access, body } = await loginToken(server)
    const signedInAt = (body as unknown as { idleExpiresAt: number }).idleExpiresAt - 3_600_000
    clock.advance(400_000)
    const challenge = await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { maxAge: 300 })
    expect((challenge as Response).status).toBe(401)
    const status = (await (await server.handle(request('/auth/status', { bearer: access })))!.json()) as {
      idleExpiresAt: number
    }
    expect(status.idleExpiresAt).toBe(signedInAt + 3_600_000)
    expect(
      await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { touch: false }),
    ).toMatchObject({
      authTime: signedInAt,
    })
    // A request that passes the check is activity, as any other.
    expect(
      await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { maxAge: 500 }),
    ).toMatchObject({
      idleExpiresAt: clock.now() + 3_600_000,
    })
  })

  it('a refused reauth leaves the deadlines; a good one slides the idle deadline, keeps the absolute one, sets authTime', async () => {
    const { server, clock } = await serverOn(kind, LONG_LIVED)
    const { access } = await loginToken(server)
    const deadlines = async (token: string) => {
      const { idleExpiresAt, absoluteExpiresAt } = (await (await server.handle(
        request('/auth/status', { bearer: token }),
      ))!.json()) as { idleExpiresAt: number; absoluteExpiresAt: number }
      return { idleExpiresAt, absoluteExpiresAt }
    }
    const before = await deadlines(access)
    clock.advance(120_000)
    expect((await server.handle(reauthToken(access, 'wrong')))!.status).toBe(403)
    expect(await deadlines(access)).toEqual(before)
    const ok = (await server.handle(reauthToken(access, 'correct horse')))!
    const body = (await ok.json()) as Record<string, number | string>
    expect(body).toMatchObject({
      idleExpiresAt: before.idleExpiresAt + 120_000,
      absoluteExpiresAt: before.absoluteExpiresAt,
      idleExpiresIn: 3600,
      expires_in: 3600,
    })
    expect(body.absoluteExpiresIn).toBe(Math.floor((before.absoluteExpiresAt - clock.now()) / 1000))
    expect(
      await server.authenticate(request('/api/x', { bearer: String(body.access_token), method: 'GET' }), {
        touch: false,
      }),
    ).toMatchObject({ authTime: clock.now() })
  })

  it('claims come through a reauth exactly as verifyCredentials gave them', async () => {
    const claims = { roles: [], big: 1234567890123456, pi: Math.PI, path: 'a/b', nested: { list: [1, [], {}] } }
    const { server } = await serverOn(kind, {
      ...LONG_LIVED,
      verifyCredentials: (c: Record<string, unknown>) =>
        c.password === 'correct horse' ? { id: 'u-alice', claims } : null,
    })
    const { access } = await loginToken(server)
    const ok = (await server.handle(reauthToken(access, 'correct horse')))!
    const renewed = String(((await ok.json()) as { access_token: string }).access_token)
    expect(await api(server, renewed)).toMatchObject({ claims })
  })

  it('reauth shares the login throttle: 429 with Retry-After, for login and reauth alike', async () => {
    const { server, clock } = await serverOn(kind, {
      ...LONG_LIVED,
      throttle: { account: { freeAttempts: 2, baseDelayMs: 10_000 } },
    })
    const { access } = await loginToken(server)
    const badLogin = () => server.handle(request('/auth/login', json({ username: 'alice', password: 'nope' })))
    expect((await badLogin())!.status).toBe(401)
    expect((await server.handle(reauthToken(access, 'nope')))!.status).toBe(403)
    expect((await server.handle(reauthToken(access, 'nope')))!.status).toBe(403)
    for (const throttled of [(await server.handle(reauthToken(access, 'correct horse')))!, (await badLogin())!]) {
      expect([throttled.status, await throttled.json()]).toEqual([429, { error: 'too_many_requests' }])
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    clock.advance(10_001)
    expect((await server.handle(reauthToken(access, 'correct horse')))!.status).toBe(200)
  })

  it('body transport: the new refresh token comes in the body, the old one stops working', async () => {
    const { server } = await serverOn(kind, { ...LONG_LIVED, refreshToken: 'body' })
    const login = (await server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' }))))!
    const first = (await login.json()) as { access_token: string; refresh_token: string }
    const ok = (await server.handle(reauthToken(first.access_token, 'correct horse')))!
    const body = (await ok.json()) as { refresh_token?: string }
    expect(ok.headers.getSetCookie()).toEqual([])
    expect(body.refresh_token).toEqual(expect.any(String))
    expect(body.refresh_token).not.toBe(first.refresh_token)
    const refreshBody = (token: string) =>
      server.handle(request('/auth/refresh', form({ grant_type: 'refresh_token', refresh_token: token })))
    expect((await refreshBody(first.refresh_token))!.status).toBe(401)
    expect((await refreshBody(body.refresh_token!))!.status).toBe(200)
  })
})

describe('step-up on Redis: sessions stored before authTime existed', () => {
  it('count their createdAt; a reauth gives them an authTime', async () => {
    const { server, clock } = await serverOn('redis', LONG_LIVED)
    const { access, sessionId } = await loginToken(server)
    const createdAt = clock.now()
    const client = createClient({ url: redis.url })
    await client.connect()
    // What an older version stored: no `at` field, no authTime in `d`.
    const key = `sv:s:${sessionId}`
    const d = JSON.parse(String(await client.hGet(key, 'd'))) as Record<string, unknown>
    delete d.authTime
    await client.hSet(key, 'd', JSON.stringify(d))
    await client.hDel(key, 'at')
    await client.close()
    clock.advance(200_000)
    expect(
      await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { touch: false }),
    ).toMatchObject({
      authTime: createdAt,
    })
    expect(
      ((await server.authenticate(request('/api/x', { bearer: access, method: 'GET' }), { maxAge: 100 })) as Response)
        .status,
    ).toBe(401)
    const ok = (await server.handle(reauthToken(access, 'correct horse')))!
    const renewed = String(((await ok.json()) as { access_token: string }).access_token)
    expect(
      await server.authenticate(request('/api/x', { bearer: renewed, method: 'GET' }), { maxAge: 100 }),
    ).toMatchObject({
      authTime: clock.now(),
    })
  })
})

describe('step-up, cookie mode', () => {
  async function signedIn() {
    const made = setup({ mode: 'cookie' })
    const response = (await made.server.handle(
      request('/auth/login', json({ username: 'alice', password: 'correct horse' })),
    ))!
    const body = (await response.json()) as { csrfToken: string; session_id: string }
    return { ...made, cookie: cookieFrom(response, '__Host-sv_s')!, csrf: body.csrfToken, sessionId: body.session_id }
  }

  it('reauth: CSRF header required; the cookie is rotated, the old one stops working; same session id', async () => {
    const { server, cookie, csrf, sessionId, clock } = await signedIn()
    clock.advance(600_000)
    const noCsrf = (await server.handle(
      request('/auth/reauth', { cookie, ...json({ username: 'alice', password: 'correct horse' }) }),
    ))!
    expect(noCsrf.status).toBe(403)
    const wrong = (await server.handle(
      request('/auth/reauth', {
        cookie,
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: 'nope' }),
      }),
    ))!
    expect([wrong.status, await wrong.json()]).toEqual([403, { error: 'invalid_credentials' }])
    const ok = (await server.handle(
      request('/auth/reauth', {
        cookie,
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: 'correct horse' }),
      }),
    ))!
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { authenticated: boolean; session_id: string; csrfToken: string }
    expect(body).toMatchObject({ authenticated: true, session_id: sessionId })
    expect(body.csrfToken).not.toBe(csrf)
    const fresh = cookieFrom(ok, '__Host-sv_s')!
    expect(fresh).not.toBe(cookie)
    expect(await server.authenticate(request('/api/x', { cookie, method: 'GET' }))).toBeInstanceOf(Response)
    expect(
      await server.authenticate(request('/api/x', { cookie: fresh, method: 'GET' }), { maxAge: 60 }),
    ).toMatchObject({
      sessionId,
    })
  })

  it('reauth: 401 without a live cookie; the answer carries the deadlines and a cookie like login\u2019s', async () => {
    const { server, cookie, csrf, clock } = await signedIn()
    const reauth = (call: { cookie?: string; csrf?: string }, password = 'correct horse') =>
      server.handle(
        request('/auth/reauth', {
          ...(call.cookie && { cookie: call.cookie }),
          headers: { 'Content-Type': 'application/json', ...(call.csrf && { 'X-CSRF-Token': call.csrf }) },
          body: JSON.stringify({ username: 'alice', password }),
        }),
      )
    const none = (await reauth({}))!
    expect([none.status, await none.json()]).toEqual([401, { error: 'invalid_session' }])
    const before = (await (await server.handle(request('/auth/status', { cookie })))!.json()) as {
      absoluteExpiresAt: number
    }
    clock.advance(60_000)
    const ok = (await reauth({ cookie, csrf }))!
    expect(await ok.json()).toEqual({
      authenticated: true,
      session_id: expect.any(String),
      csrfToken: expect.any(String),
      idleExpiresAt: clock.now() + 900_000,
      absoluteExpiresAt: before.absoluteExpiresAt,
      idleExpiresIn: 900,
      absoluteExpiresIn: 28740,
    })
    const [line] = ok.headers.getSetCookie()
    expect(line).toMatch(/^__Host-sv_s=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
    // The old cookie is dead now: a second reauth with it is a 401 that clears it.
    const stale = (await reauth({ cookie, csrf }))!
    expect(stale.status).toBe(401)
  })
})
