import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServerLib } from '../../e2e/server/lib/build.mjs'
import { type AppProcess, Browser, startApp, startProxy } from './helpers/cluster.js'
import { startRedis } from './helpers/redis-server.js'

// Two server processes sharing one Redis, behind a round-robin proxy.
let redis: Awaited<ReturnType<typeof startRedis>>
let lib: string
let apps: AppProcess[] = []
let proxy: Awaited<ReturnType<typeof startProxy>>

async function total(event: string, of: AppProcess[] = apps): Promise<number> {
  let n = 0
  for (const app of of)
    if (app.child.exitCode === null && app.child.signalCode === null) n += (await app.counters())[event] ?? 0
  return n
}

async function fresh(): Promise<void> {
  await proxy?.close()
  await Promise.all(apps.map(a => a.kill()))
  apps = await Promise.all([startApp(lib, { REDIS_URL: redis.url }), startApp(lib, { REDIS_URL: redis.url })])
  proxy = await startProxy(apps.map(a => a.port))
}

beforeAll(async () => {
  lib = await buildServerLib(fileURLToPath(new URL('./.build/server.mjs', import.meta.url)))
  redis = await startRedis()
  await fresh()
}, 60_000)

afterAll(async () => {
  await proxy?.close()
  await Promise.all(apps.map(a => a.kill()))
  await redis?.close()
})

/** One browser with `tabs` tabs: each round every tab refreshes (one at a time, like the SDK's Web Lock) and calls the API. */
async function storm(browser: Browser, tabs: number, rounds: number, access: string) {
  const statuses: number[] = []
  const tokens = Array.from({ length: tabs }, () => access)
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      tokens.map(async (_, tab) => {
        const r = await browser.withLock(() => browser.refresh())
        statuses.push(r.status)
        if (r.body) tokens[tab] = r.body.access_token
        const me = await browser.me(tokens[tab]!)
        statuses.push(me.status)
      }),
    )
  }
  return statuses
}

describe('two processes on one Redis', () => {
  it('3 tabs x 10 rounds of simultaneous refreshes, 5 users at once: never a false reuse detection, nobody logged out', async () => {
    const browsers = Array.from({ length: 5 }, () => new Browser(proxy.url))
    const logins = await Promise.all(browsers.map((b, i) => b.login(`user${i}`, `pw-${i}`)))
    const results = await Promise.all(browsers.map((b, i) => storm(b, 3, 10, logins[i]!.body!.access_token)))
    for (const statuses of results) expect(new Set(statuses)).toEqual(new Set([200]))
    expect(await total('reuse_detected')).toBe(0)
    expect(await total('refresh')).toBe(150)
    const pids = new Set<number>()
    const access = (await browsers[0]!.refresh()).body!.access_token
    for (let i = 0; i < 4; i++) pids.add((await browsers[0]!.me(access)).body!.pid)
    expect(pids.size).toBe(2)
  })

  it('logout through one process is refused by both afterwards', async () => {
    const browser = new Browser(proxy.url)
    const { body } = await browser.login('user10', 'pw-10')
    const cookie = browser.cookie
    const out = await browser.post('/auth/logout', { bearer: body!.access_token })
    expect(out.status).toBe(200)
    for (const app of apps) {
      expect((await browser.me(body!.access_token, `http://127.0.0.1:${app.port}`)).status).toBe(401)
      const replay = new Browser(`http://127.0.0.1:${app.port}`)
      replay.cookie = cookie
      expect((await replay.refresh()).status).toBe(401)
    }
  })

  it('a session revoked through one process is refused by the other at once', async () => {
    const [a, b] = apps as [AppProcess, AppProcess]
    const phone = new Browser(`http://127.0.0.1:${a.port}`)
    const laptop = new Browser(`http://127.0.0.1:${a.port}`)
    const p = (await phone.login('user11', 'pw-11')).body!
    const l = (await laptop.login('user11', 'pw-11')).body!
    const revoke = await fetch(`http://127.0.0.1:${a.port}/auth/sessions/${p.session_id}`, {
      method: 'DELETE',
      headers: { 'Session-Vault': '1', Authorization: `Bearer ${l.access_token}` },
    })
    expect(revoke.status).toBe(200)
    expect((await phone.me(p.access_token, `http://127.0.0.1:${b.port}`)).status).toBe(401)
    expect((await laptop.me(l.access_token, `http://127.0.0.1:${b.port}`)).status).toBe(200)
  })

  it('a refresh token replayed under load revokes its family exactly once', async () => {
    const before = await total('reuse_detected')
    const victim = new Browser(proxy.url)
    const v = (await victim.login('user20', 'pw-20')).body!
    const stolen = victim.cookie
    await victim.refresh()
    const others = Array.from({ length: 6 }, () => new Browser(proxy.url))
    const logins = await Promise.all(others.map((b, i) => b.login(`user${30 + i}`, `pw-${30 + i}`)))
    const attacker = new Browser(proxy.url)
    const replays = (async () => {
      const statuses: number[] = []
      for (let i = 0; i < 10; i++) {
        attacker.cookie = stolen
        statuses.push((await attacker.refresh()).status)
      }
      return statuses
    })()
    const load = Promise.all(others.map((b, i) => storm(b, 2, 5, logins[i]!.body!.access_token)))
    expect(new Set(await replays)).toEqual(new Set([401]))
    for (const statuses of await load) expect(new Set(statuses)).toEqual(new Set([200]))
    expect((await total('reuse_detected')) - before).toBe(1)
    expect((await victim.refresh()).status).toBe(401)
    expect((await victim.me(v.access_token)).status).toBe(401)
  })

  it('one process killed mid-storm: the other keeps serving, no session lost', async () => {
    const browsers = Array.from({ length: 4 }, () => new Browser(proxy.url))
    const logins = await Promise.all(browsers.map((b, i) => b.login(`user${40 + i}`, `pw-${40 + i}`)))
    const tokens = logins.map(l => l.body!.access_token)
    const statuses: number[] = []
    let killed = false
    const work = Promise.all(
      browsers.map(async (b, i) => {
        for (let round = 0; round < 40; round++) {
          const me = await b.me(tokens[i]!)
          statuses.push(me.status)
          if (killed && round % 10 === 0) {
            const r = await b.withLock(() => b.refresh())
            statuses.push(r.status)
            if (r.body) tokens[i] = r.body.access_token
          }
        }
      }),
    )
    await new Promise(r => setTimeout(r, 100))
    await apps[0]!.kill('SIGKILL')
    killed = true
    await work
    // Requests that were on the killed process's sockets may fail (502); everything after is served.
    expect(statuses.filter(s => s !== 200 && s !== 502)).toEqual([])
    expect(statuses.slice(-20).every(s => s === 200)).toBe(true)
    for (let i = 0; i < browsers.length; i++) {
      const r = await browsers[i]!.refresh()
      expect(r.status).toBe(200)
      expect((await browsers[i]!.me(r.body!.access_token)).status).toBe(200)
    }
    await fresh()
  })

  it('Redis restarted mid-storm: fail closed with 503, then recover', async () => {
    const browser = new Browser(proxy.url)
    const { body } = await browser.login('user50', 'pw-50')
    const statuses: number[] = []
    let stop = false
    const hammer = (async () => {
      while (!stop) {
        statuses.push((await browser.me(body!.access_token)).status)
        await new Promise(r => setTimeout(r, 5))
      }
    })()
    await new Promise(r => setTimeout(r, 100))
    await redis.stop()
    await new Promise(r => setTimeout(r, 500))
    await redis.start()
    await new Promise(r => setTimeout(r, 1500))
    stop = true
    await hammer
    expect(statuses).toContain(503)
    expect(statuses.filter(s => ![200, 401, 503].includes(s))).toEqual([])
    // No persistence: the data died with Redis, so the session is gone (401), never half-alive.
    expect(statuses.at(-1)).toBe(401)
    const again = new Browser(proxy.url)
    const login = await again.login('user51', 'pw-51')
    expect(login.status).toBe(200)
    for (const app of apps)
      expect((await again.me(login.body!.access_token, `http://127.0.0.1:${app.port}`)).status).toBe(200)
  })
})
