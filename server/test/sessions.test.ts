import { describe, expect, it } from 'vitest'
import { createSessionServer, memoryStore } from '../index.js'
import { api, json, loginToken, manualClock, request, setup, verifyDemo } from './helpers/harness.js'

describe('sessions list, revoke one, revoke others, password change', () => {
  it('lists the user’s live sessions and ends one by its public id; others’ ids are 404', async () => {
    const { server } = setup()
    const a1 = await loginToken(server)
    const a2 = await loginToken(server)
    const b = await loginToken(server, 'bob')
    const list = (await server.handle(request('/auth/sessions', { method: 'GET', bearer: a1.access })))!
    const { sessions } = (await list.json()) as { sessions: { id: string; current: boolean }[] }
    expect(sessions.map(s => [s.id, s.current])).toEqual([
      [a1.sessionId, true],
      [a2.sessionId, false],
    ])
    expect(JSON.stringify(sessions)).not.toContain(a1.access)
    const foreign = (await server.handle(
      request(`/auth/sessions/${b.sessionId}`, { method: 'DELETE', bearer: a1.access }),
    ))!
    expect(foreign.status).toBe(404)
    const unknown = (await server.handle(
      request(`/auth/sessions/${'z'.repeat(22)}`, { method: 'DELETE', bearer: a1.access }),
    ))!
    expect(unknown.status).toBe(404)
    expect(await api(server, b.access)).toMatchObject({ userId: 'u-bob' })
    const ok = (await server.handle(
      request(`/auth/sessions/${a2.sessionId}`, { method: 'DELETE', bearer: a1.access }),
    ))!
    expect(ok.status).toBe(200)
    expect(await api(server, a2.access)).toBeInstanceOf(Response)
  })

  it('revoke-others keeps only the caller’s session', async () => {
    const { server } = setup()
    const keep = await loginToken(server)
    const others = [await loginToken(server), await loginToken(server)]
    const r = (await server.handle(request('/auth/sessions/revoke-others', { bearer: keep.access })))!
    expect(await r.json()).toEqual({ ok: true, revoked: 2 })
    for (const o of others) expect(await api(server, o.access)).toBeInstanceOf(Response)
    expect(await api(server, keep.access)).toMatchObject({ sessionId: keep.sessionId })
  })

  it('revokeUser (password change): ends every other session and refuses logins that checked the old password', async () => {
    const clock = manualClock()
    let releaseVerify!: () => void
    const gate = new Promise<void>(resolve => (releaseVerify = resolve))
    let slow = false
    const server = createSessionServer({
      mode: 'token',
      logger: false,
      now: clock.now,
      store: memoryStore({ sweepInterval: 0 }),
      verifyCredentials: async c => {
        if (slow) await gate
        return verifyDemo(c)
      },
    })
    const current = await loginToken(server)
    const other = await loginToken(server)
    slow = true
    const inFlight = server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' })))
    await new Promise(r => setTimeout(r, 10))
    const result = await server.revokeUser('u-alice', { except: current.sessionId })
    expect(result).toEqual({ revoked: 1, kept: true })
    clock.advance(1)
    releaseVerify()
    const late = (await inFlight)!
    expect([late.status, await late.json()]).toEqual([401, { error: 'invalid_grant' }])
    slow = false
    expect(await api(server, other.access)).toBeInstanceOf(Response)
    expect(await api(server, current.access)).toMatchObject({ sessionId: current.sessionId })
    expect(
      (await server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' }))))!.status,
    ).toBe(200)
    expect(await server.revokeUser('u-alice', { except: other.sessionId })).toEqual({ revoked: 2, kept: false })
  })
})

describe('memoryStore bounds', () => {
  it('refuses new logins with 503 when full, instead of evicting anyone', async () => {
    const { server } = setup({ store: memoryStore({ maxSessions: 2, sweepInterval: 0 }), throttle: false })
    const a = await loginToken(server)
    await loginToken(server, 'bob')
    const r = (await server.handle(request('/auth/login', json({ username: 'alice', password: 'correct horse' }))))!
    expect([r.status, r.headers.get('retry-after')]).toEqual([503, '5'])
    expect(await api(server, a.access)).toMatchObject({ userId: 'u-alice' })
  })

  it('caps sessions per user by ending that user’s oldest; sweeps expired sessions', async () => {
    const clock = manualClock()
    const store = memoryStore({ maxSessionsPerUser: 2, sweepInterval: 0, now: clock.now })
    const { server } = setup({ store, now: clock.now, throttle: false })
    const first = await loginToken(server)
    clock.advance(1)
    await loginToken(server)
    clock.advance(1)
    await loginToken(server)
    expect(await api(server, first.access)).toBeInstanceOf(Response)
    expect(store.size().sessions).toBe(2)
    clock.advance(901_000)
    expect(store.sweep()).toBe(2)
    expect(store.size()).toMatchObject({ sessions: 0, tokens: 0 })
  })
})
