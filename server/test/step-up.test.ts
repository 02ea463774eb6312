import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisStore, redisStore } from '../index.js'
import { api, cookieFrom, json, loginToken, manualClock, refreshWith, request, setup } from './helpers/harness.js'
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

  it('status answers the deadlines without sliding them; keepalive slides', async () => {
    const { server, cookie, csrf, clock } = await signedIn()
    const call = (path: string) =>
      server.handle(request(path, { cookie, headers: { 'X-CSRF-Token': csrf } })).then(r => r!.json()) as Promise<{
        idleExpiresAt: number
      }>
    const start = await call('/auth/status')
    clock.advance(60_000)
    expect((await call('/auth/status')).idleExpiresAt).toBe(start.idleExpiresAt)
    expect((await call('/auth/keepalive')).idleExpiresAt).toBe(start.idleExpiresAt + 60_000)
  })
})
