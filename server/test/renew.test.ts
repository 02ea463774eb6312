// What the reference server (demo/server) needs beyond the wire routes: the
// password change (renewSession, throttledCheck), ending one of the user's
// sessions, the CSRF token for server-rendered forms, the refresh token's own
// lifetime. In memory and on a real redis-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuthenticatedSession,
  createSessionServer,
  memoryStore,
  type RedisStore,
  redisStore,
  type SessionStore,
} from '../index.js'
import {
  api,
  cookieFrom,
  json,
  loginToken,
  manualClock,
  refreshWith,
  request,
  setup,
  verifyDemo,
} from './helpers/harness.js'
import { startRedis } from './helpers/redis-server.js'

let redis: Awaited<ReturnType<typeof startRedis>>
const redisStores: RedisStore[] = []

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await Promise.all(redisStores.map(s => s.close()))
  await redis?.close()
})

const stores: Record<string, () => Promise<SessionStore>> = {
  memory: async () => memoryStore({ sweepInterval: 0 }),
  redis: async () => {
    const store = redisStore({ url: redis.url, prefix: `renew-${Math.random().toString(36).slice(2)}:` })
    redisStores.push(store)
    await store.ready
    return store
  },
}

async function cookieLogin(server: ReturnType<typeof createSessionServer>, username = 'alice') {
  const response = (await server.handle(
    request('/auth/login', json({ username, password: username === 'alice' ? 'correct horse' : 'battery staple' })),
  ))!
  const body = (await response.json()) as { csrfToken: string; session_id: string }
  return { cookie: cookieFrom(response, '__Host-sv_s')!, csrf: body.csrfToken, sessionId: body.session_id }
}

for (const [name, makeStore] of Object.entries(stores)) {
  describe(`renewSession (${name})`, () => {
    it('token mode: ends the other sessions, refuses logins that started before, new refresh cookie, old secrets dead, same session_id', async () => {
      const clock = manualClock(Date.now())
      const logs: Array<Record<string, unknown>> = []
      let hold: Promise<void> | null = null
      const server = createSessionServer({
        mode: 'token',
        store: await makeStore(),
        now: clock.now,
        logger: e => void logs.push(e),
        verifyCredentials: async c => {
          if (hold) await hold
          return verifyDemo(c)
        },
      })
      const current = await loginToken(server)
      const other = await loginToken(server)
      const bob = await loginToken(server, 'bob')
      let release!: () => void
      hold = new Promise(r => (release = r))
      const inFlight = server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' })))
      await new Promise(r => setTimeout(r, 20))
      const renewed = await server.renewSession(request('/api/password', { bearer: current.access, sdkHeader: false }))
      expect(renewed).not.toBeInstanceOf(Response)
      const result = renewed as Exclude<typeof renewed, Response>
      expect(result.revoked).toBe(1)
      expect(result.session).toMatchObject({ userId: 'u-alice', sessionId: current.sessionId })
      const setCookie = result.headers.find(([n]) => n === 'Set-Cookie')![1]
      expect(setCookie).toMatch(
        /^__Host-sv_rt=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=28800$/,
      )
      clock.advance(1)
      release()
      hold = null
      expect((await inFlight)!.status).toBe(401)
      // Old access and refresh tokens of the renewed session are dead; the new cookie refreshes it, same id.
      expect(await api(server, current.access)).toBeInstanceOf(Response)
      expect((await refreshWith(server, current.cookie)).response.status).toBe(401)
      const next = await refreshWith(server, setCookie.split(';')[0]!)
      expect([next.response.status, next.body?.session_id === current.sessionId]).toEqual([200, true])
      expect(await api(server, other.access)).toBeInstanceOf(Response)
      expect(await api(server, bob.access)).toMatchObject({ userId: 'u-bob' })
      expect(logs.filter(e => e.event === 'revoked' && e.reason === 'password_changed')).toHaveLength(1)
      expect(logs.some(e => e.event === 'renewed')).toBe(true)
      await server.close()
    })

    it('a session that ended meanwhile gets a 401 and nothing changes', async () => {
      const server = createSessionServer({
        mode: 'token',
        store: await makeStore(),
        logger: false,
        verifyCredentials: verifyDemo,
      })
      const attacker = await loginToken(server)
      const victim = await loginToken(server)
      expect(await server.endSession(attacker.sessionId, { userId: 'u-bob' })).toBe(false)
      expect(await server.endSession(attacker.sessionId, { userId: 'u-alice', reason: 'user' })).toBe(true)
      const answer = await server.renewSession(request('/api/password', { bearer: attacker.access, sdkHeader: false }))
      expect(answer).toBeInstanceOf(Response)
      expect((answer as Response).status).toBe(401)
      expect((answer as Response).headers.getSetCookie()).toEqual([])
      expect(await api(server, victim.access)).toMatchObject({ sessionId: victim.sessionId })
      await server.close()
    })

    it('cookie mode: a new session cookie and CSRF token; authenticate gives the CSRF token and createdAt', async () => {
      const server = createSessionServer({
        mode: 'cookie',
        store: await makeStore(),
        logger: false,
        verifyCredentials: verifyDemo,
      })
      const a = await cookieLogin(server)
      const b = await cookieLogin(server)
      const seen = (await server.authenticate(
        request('/api/me', { method: 'GET', cookie: a.cookie }),
      )) as AuthenticatedSession
      expect(seen.csrfToken === a.csrf).toBe(true)
      expect(typeof seen.createdAt).toBe('number')
      const renewed = await server.renewSession(
        request('/api/password', { cookie: a.cookie, headers: { 'X-CSRF-Token': a.csrf }, sdkHeader: false }),
      )
      expect(renewed).not.toBeInstanceOf(Response)
      const result = renewed as Exclude<typeof renewed, Response>
      const fresh = result.headers[0]![1].split(';')[0]!
      expect(result.session.csrfToken === a.csrf).toBe(false)
      expect(await server.authenticate(request('/api/me', { method: 'GET', cookie: a.cookie }))).toBeInstanceOf(
        Response,
      )
      expect(await server.authenticate(request('/api/me', { method: 'GET', cookie: b.cookie }))).toBeInstanceOf(
        Response,
      )
      const now = (await server.authenticate(
        request('/api/me', { method: 'GET', cookie: fresh }),
      )) as AuthenticatedSession
      expect([now.sessionId === a.sessionId, now.csrfToken === result.session.csrfToken]).toEqual([true, true])
      // A state-changing renewal needs the CSRF token.
      const refused = await server.renewSession(request('/api/password', { cookie: fresh, sdkHeader: false }))
      expect((refused as Response).status).toBe(403)
      await server.close()
    })

    it('throttledCheck counts against the login throttle of the account and the client', async () => {
      const server = createSessionServer({
        mode: 'token',
        store: await makeStore(),
        logger: false,
        verifyCredentials: verifyDemo,
        throttle: { account: { freeAttempts: 2 } },
      })
      const outcomes: unknown[] = []
      for (let i = 0; i < 3; i++)
        outcomes.push(await server.throttledCheck({ account: 'alice', clientAddress: '10.0.0.1' }, () => false))
      expect(outcomes).toEqual(['failed', 'failed', 'failed'])
      let ran = false
      const locked = await server.throttledCheck({ account: 'alice', clientAddress: '10.0.0.1' }, () => (ran = true))
      expect([(locked as Response).status, Number((locked as Response).headers.get('retry-after')) >= 1, ran]).toEqual([
        429,
        true,
        false,
      ])
      // The same account's login is locked too.
      const login = (await server.handle(
        request('/auth/login', json({ username: 'alice', password: 'correct horse' })),
      ))!
      expect(login.status).toBe(429)
      expect(await server.throttledCheck({ account: 'bob' }, () => true)).toBe('ok')
      await server.close()
    })
  })
}

describe('refreshTokenTtl', () => {
  it('bounds the refresh token and its cookie, never past the absolute deadline', async () => {
    const { server, clock } = setup({ refreshTokenTtl: 60, absoluteTimeout: 600, idleTimeout: 600 })
    const a = await loginToken(server)
    expect(a.response.headers.getSetCookie()[0]).toMatch(/Max-Age=60$/)
    clock.advance(61_000)
    expect((await refreshWith(server, a.cookie)).response.status).toBe(401)
    const b = await loginToken(server)
    clock.advance(30_000)
    const r = await refreshWith(server, b.cookie)
    expect(r.response.status).toBe(200)
    expect(r.response.headers.getSetCookie()[0]).toMatch(/Max-Age=60$/)
    const long = setup({ refreshTokenTtl: 86400, absoluteTimeout: 120 })
    expect((await loginToken(long.server)).response.headers.getSetCookie()[0]).toMatch(/Max-Age=120$/)
  })
})
