// The reference server on Redis (REDIS_URL): a real redis-server on a free
// port, the demo started with it, sign-in, refresh, reuse detection, logout,
// the /classic/ form login and the password change driven through the demo's
// HTTP routes; Redis holds hashes only; sessions outlive a restart of the
// demo (outside test mode); Redis down means 503, then service resumes.
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startRedis } from '../../server/test/helpers/redis-server.js'
import { optionsFromEnv } from './config.mjs'
import {
  ALICE,
  classicLive,
  classicLogin,
  cookieFrom,
  counters,
  issued,
  REFRESH_COOKIE,
  type Server,
  sameOrigin,
  start,
  tokenLogin,
  tokenRefresh,
  whoAmI,
} from './test-client.js'

// Generous: scrypt is CPU-bound and the CI machine is shared.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

let redis: Awaited<ReturnType<typeof startRedis>>
let server: Server

beforeAll(async () => {
  redis = await startRedis()
  server = await start({ redisUrl: redis.url })
})
afterAll(async () => {
  await server?.close()
  await redis?.close()
})

async function redisDump(url: string): Promise<string> {
  const client = createClient({ url })
  await client.connect()
  try {
    const parts: string[] = []
    for (const key of await client.keys('*')) {
      parts.push(key)
      const type = await client.type(key)
      if (type === 'hash') parts.push(JSON.stringify(await client.hGetAll(key)))
      else if (type === 'set') parts.push(JSON.stringify(await client.sMembers(key)))
      else if (type === 'string') parts.push(String(await client.get(key)))
    }
    return parts.join('\n')
  } finally {
    await client.close()
  }
}

function logout(target: Server, { access, refresh }: { access?: string; refresh?: string }) {
  return fetch(`${target.origin}/auth/logout`, {
    method: 'POST',
    headers: {
      ...sameOrigin(target.origin),
      ...(access && { Authorization: `Bearer ${access}` }),
      ...(refresh && { Cookie: `${REFRESH_COOKIE}=${refresh}` }),
    },
  })
}

describe('the reference server on Redis', () => {
  it('REDIS_URL switches the store (and must be a redis:// URL)', () => {
    expect(optionsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
    })
    expect(optionsFromEnv({})).not.toHaveProperty('redisUrl')
    expect(() => optionsFromEnv({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/)
  })

  it('a Redis that cannot be reached stops the start with a message that names it without its password', async () => {
    const started = start({ redisUrl: 'redis://:hunter2@127.0.0.1:1' })
    await expect(started).rejects.toThrow(/^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/)
    await expect(started).rejects.not.toThrow(/hunter2/)
  })

  it('sign-in, refresh (rotation), reuse ends the family, logout; Redis holds no secret', async () => {
    expect((await fetch(`${server.origin}/test/reset`, { method: 'POST' })).status).toBe(200)
    const alice = await tokenLogin(server, ALICE)
    expect([alice.status, Boolean(alice.access && alice.refresh && alice.sessionId)]).toEqual([200, true])
    expect(await whoAmI(server, alice.access)).toBe('alice')

    const refreshed = await tokenRefresh(server, alice.refresh)
    expect([refreshed.status, refreshed.sessionId === alice.sessionId, refreshed.refresh !== alice.refresh]).toEqual([
      200,
      true,
      true,
    ])
    expect(await whoAmI(server, refreshed.access)).toBe('alice')

    // Only hashes in Redis: no token or cookie value the server handed out.
    const dump = await redisDump(redis.url)
    expect(dump.length).toBeGreaterThan(0)
    expect((await issued(server)).all.filter(secret => dump.includes(secret)).length).toBe(0)

    // The spent refresh token again: reuse, the whole session ends.
    expect((await tokenRefresh(server, alice.refresh)).status).toBe(401)
    expect(await whoAmI(server, refreshed.access)).toBe(401)
    expect((await tokenRefresh(server, refreshed.refresh)).status).toBe(401)

    const again = await tokenLogin(server, ALICE)
    const out = await logout(server, { access: again.access, refresh: again.refresh })
    expect([out.status, out.headers.get('clear-site-data'), cookieFrom(out)]).toEqual([
      200,
      '"cache", "cookies", "storage"',
      '',
    ])
    expect(await whoAmI(server, again.access)).toBe(401)
    expect((await tokenRefresh(server, again.refresh)).status).toBe(401)
    expect(await counters(server)).toMatchObject({ login: 2, refresh: 1, refreshReuse: 1, logout: 1 })
  })

  it('the /classic/ form login and the password change share the Redis store', async () => {
    expect((await fetch(`${server.origin}/test/reset`, { method: 'POST' })).status).toBe(200)
    const classic = await classicLogin(server, ALICE)
    expect([classic.status, classic.location, await classicLive(server, classic.session)]).toEqual([
      303,
      '/classic/',
      true,
    ])
    const token = await tokenLogin(server, ALICE)
    const sessions = (await (
      await fetch(`${server.origin}/api/sessions`, { headers: { Authorization: `Bearer ${token.access}` } })
    ).json()) as {
      sessions: Array<{ mode: string; current: boolean }>
    }
    expect(sessions.sessions.map(s => [s.mode, s.current]).sort()).toEqual([
      ['cookie', false],
      ['token', true],
    ])
    const change = await fetch(`${server.origin}/api/password`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.access}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: ALICE.password, newPassword: 'a new long password' }),
    })
    expect(change.status).toBe(200)
    expect(await classicLive(server, classic.session)).toBe(false)
    const renewed = await tokenRefresh(server, cookieFrom(change))
    expect([renewed.status, renewed.sessionId === token.sessionId]).toEqual([200, true])
    expect((await tokenLogin(server, ALICE)).status).toBe(401)
    expect((await tokenLogin(server, { username: 'alice', password: 'a new long password' })).status).toBe(200)
  })

  it('outside test mode, sessions outlive a restart of the demo', async () => {
    const first = await start({ test: false, redisUrl: redis.url })
    let login: Awaited<ReturnType<typeof tokenLogin>>
    try {
      login = await tokenLogin(first, ALICE)
      expect(login.status).toBe(200)
    } finally {
      await first.close()
    }
    const second = await start({ test: false, redisUrl: redis.url })
    try {
      const refreshed = await tokenRefresh(second, login.refresh)
      expect([refreshed.status, refreshed.sessionId === login.sessionId]).toEqual([200, true])
      expect(await whoAmI(second, refreshed.access)).toBe('alice')
    } finally {
      await second.close()
    }
  })

  it('Redis down: the session routes fail closed with 503, and work again when it is back', async () => {
    expect((await fetch(`${server.origin}/test/reset`, { method: 'POST' })).status).toBe(200)
    const alice = await tokenLogin(server, ALICE)
    await redis.stop()
    try {
      const refresh = await tokenRefresh(server, alice.refresh)
      expect(refresh.status).toBe(503)
      expect(await whoAmI(server, alice.access)).toBe(503)
    } finally {
      await redis.start()
    }
    // No persistence: the session is gone with the old process; new sign-ins work once the client reconnects.
    await vi.waitFor(async () => expect((await tokenLogin(server, ALICE)).status).toBe(200), {
      timeout: 15_000,
      interval: 250,
    })
  })
})
