import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionServer, type LogEntry, type RedisStore, redisStore } from '../index.js'
import { api, json, loginToken, manualClock, refreshWith, request, verifyDemo } from './helpers/harness.js'
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

async function instance(overrides: Record<string, unknown> = {}, storeOptions: Record<string, unknown> = {}) {
  const store = redisStore({ url: redis.url, commandTimeout: 500, ...storeOptions })
  stores.push(store)
  await store.ready
  const logs: LogEntry[] = []
  const server = createSessionServer({
    mode: 'token',
    verifyCredentials: verifyDemo,
    store,
    logger: e => logs.push(e),
    ...overrides,
  })
  return { server, logs, store }
}

describe('redisStore', () => {
  it('runs the token-mode flows: login, refresh, keepalive, list, logout', async () => {
    const { server } = await instance()
    const a = await loginToken(server)
    const r = await refreshWith(server, a.cookie)
    expect(r.response.status).toBe(200)
    expect(await api(server, r.access)).toMatchObject({
      userId: 'u-alice',
      sessionId: a.sessionId,
      claims: { name: 'alice' },
    })
    const keepalive = (await server.handle(request('/auth/keepalive', { bearer: r.access })))!
    expect(await keepalive.json()).toMatchObject({ idleExpiresIn: 900 })
    const list = (await (await server.handle(
      request('/auth/sessions', { method: 'GET', bearer: r.access }),
    ))!.json()) as { sessions: unknown[] }
    expect(list.sessions.length).toBeGreaterThanOrEqual(1)
    await server.handle(request('/auth/logout', { bearer: r.access, cookie: r.cookie! }))
    expect(await api(server, r.access)).toBeInstanceOf(Response)
  })

  it('stores only hashes, and every key carries a TTL within the absolute timeout', async () => {
    const { server } = await instance({ absoluteTimeout: 3600 }, { prefix: 'hash-test:', ttlGrace: 1000 })
    const a = await loginToken(server)
    const r = await refreshWith(server, a.cookie)
    const client = createClient({ url: redis.url })
    await client.connect()
    const keys = await client.keys('hash-test:*')
    expect(keys.length).toBeGreaterThan(3)
    let dump = keys.join('\n')
    for (const key of keys) {
      const type = await client.type(key)
      if (type === 'hash') dump += JSON.stringify(await client.hGetAll(key))
      else if (type === 'set') dump += JSON.stringify(await client.sMembers(key))
      else dump += String(await client.get(key))
      const ttl = await client.pTTL(key)
      expect(ttl, key).toBeGreaterThan(0)
      expect(ttl, key).toBeLessThanOrEqual(3_601_000)
    }
    for (const secret of [a.access, a.cookie.split('=')[1]!, r.access!, r.cookie!.split('=')[1]!])
      expect(dump).not.toContain(secret)
    await client.close()
  })

  it('rotation is atomic across two instances: one winner, the family revoked exactly once', async () => {
    const one = await instance()
    const two = await instance()
    const { cookie } = await loginToken(one.server)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => refreshWith((i % 2 ? one : two).server, cookie)),
    )
    expect(results.filter(r => r.response.status === 200)).toHaveLength(1)
    const reuse = [...one.logs, ...two.logs].filter(e => e.event === 'reuse_detected')
    expect(reuse).toHaveLength(1)
    const winner = results.find(r => r.response.status === 200)!
    expect(await api(two.server, winner.access)).toBeInstanceOf(Response)
  })

  it('idle and absolute deadlines hold on Redis with an injected clock', async () => {
    const clock = manualClock()
    const { server, logs } = await instance({ now: clock.now, idleTimeout: 60, absoluteTimeout: 120 })
    const a = await loginToken(server)
    clock.advance(59_000)
    expect(await api(server, a.access)).toMatchObject({ userId: 'u-alice' })
    clock.advance(59_000)
    expect(await api(server, a.access)).toMatchObject({ userId: 'u-alice' })
    clock.advance(3_000)
    expect(await api(server, a.access)).toBeInstanceOf(Response)
    expect(logs.filter(e => e.event === 'expired_absolute')).toHaveLength(1)
  })

  it('revokeUser on one instance refuses an in-flight login on the other', async () => {
    let release!: () => void
    const gate = new Promise<void>(r => (release = r))
    const slow = await instance({
      verifyCredentials: async (c: Record<string, unknown>) => {
        await gate
        return verifyDemo(c)
      },
    })
    const fast = await instance()
    const keep = await loginToken(fast.server, 'bob')
    const pending = slow.server.handle(request('/auth/login', json({ username: 'bob', password: 'battery staple' })))
    await new Promise(r => setTimeout(r, 20))
    expect(await fast.server.revokeUser('u-bob', { except: keep.sessionId })).toMatchObject({ kept: true })
    release()
    expect((await pending)!.status).toBe(401)
  })

  it('throttling is shared by every instance', async () => {
    const one = await instance()
    const two = await instance()
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      const r = (await (i % 2 ? one : two).server.handle(
        request('/auth/login', json({ username: 'carol', password: 'x' })),
        { clientAddress: '10.7.7.7' },
      ))!
      statuses.push(r.status)
    }
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401])
    expect(statuses.slice(6)).toEqual([429, 429])
  })

  it('Redis down: 503 at once, nothing half-written; service resumes when it returns', async () => {
    const { server, store } = await instance()
    const a = await loginToken(server)
    await redis.stop()
    const started = Date.now()
    const login = (await server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' }))))!
    expect([login.status, await login.json()]).toEqual([503, { error: 'temporarily_unavailable' }])
    expect(((await api(server, a.access)) as Response).status).toBe(503)
    expect((await refreshWith(server, a.cookie)).response.status).toBe(503)
    expect(Date.now() - started).toBeLessThan(3000)
    await redis.start()
    for (let i = 0; i < 100 && !store.isReady(); i++) await new Promise(r => setTimeout(r, 50))
    expect(store.isReady()).toBe(true)
    const again = await loginToken(server)
    expect(await api(server, again.access)).toMatchObject({ userId: 'u-alice' })
  })
})
