import { describe, expect, it } from 'vitest'
import { api, cookieFrom, form, json, loginToken, refreshWith, request, setup } from './helpers/harness.js'

describe('token mode: login, refresh rotation, keepalive, logout', () => {
  it('login answers RFC 6749 5.1 + session_id, the refresh token only in a __Host- cookie', async () => {
    const { server } = setup()
    const { response, body, cookie } = await loginToken(server)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300 })
    expect(body).not.toHaveProperty('refresh_token')
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.session_id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('date')).toBeTruthy()
    const line = response.headers.getSetCookie()[0]!
    expect(line).toMatch(/^__Host-sv_rt=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=28800$/)
    expect(cookie).toBeTruthy()
  })

  it('authenticate resolves the session for a live bearer token and 401s otherwise', async () => {
    const { server } = setup()
    const { access, sessionId } = await loginToken(server)
    expect(await api(server, access)).toMatchObject({ userId: 'u-alice', sessionId, claims: { name: 'alice' } })
    for (const bad of [null, 'nope', 'A'.repeat(43), 'x y']) {
      const result = await api(server, bad)
      expect(result).toBeInstanceOf(Response)
      const response = result as Response
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
      expect(await response.json()).toEqual({ error: 'invalid_token' })
    }
  })

  it('refresh rotates; the access token expires on its own', async () => {
    const { server, clock } = setup()
    const first = await loginToken(server)
    const second = await refreshWith(server, first.cookie)
    expect(second.response.status).toBe(200)
    expect(second.body!.session_id).toBe(first.sessionId)
    // The session's deadlines ride along, so a restore learns the absolute one (refresh is not activity).
    expect(second.body).toMatchObject({ absoluteExpiresIn: 28_800, idleExpiresIn: 900 })
    expect((second.body as Record<string, unknown>).absoluteExpiresAt).toBe(
      (first.body as Record<string, unknown>).absoluteExpiresAt,
    )
    expect(second.cookie).not.toBe(first.cookie)
    expect(await api(server, second.access)).toMatchObject({ sessionId: first.sessionId })
    clock.advance(301_000)
    expect(await api(server, second.access)).toBeInstanceOf(Response)
  })

  it('a spent refresh token used again revokes the whole family, exactly once', async () => {
    const { server, logs } = setup()
    const first = await loginToken(server)
    const second = await refreshWith(server, first.cookie)
    const replay = await refreshWith(server, first.cookie)
    expect(replay.response.status).toBe(401)
    expect(await replay.response.json()).toEqual({ error: 'invalid_grant' })
    expect(cookieFrom(replay.response, '__Host-sv_rt')).toBe('__Host-sv_rt=')
    expect(await api(server, second.access)).toBeInstanceOf(Response)
    expect((await refreshWith(server, second.cookie!)).response.status).toBe(401)
    expect((await refreshWith(server, first.cookie)).response.status).toBe(401)
    expect(logs.filter(e => e.event === 'reuse_detected')).toHaveLength(1)
  })

  it('concurrent refreshes with one token: one wins, the family ends once', async () => {
    const { server, logs } = setup()
    const { cookie } = await loginToken(server)
    const results = await Promise.all(Array.from({ length: 8 }, () => refreshWith(server, cookie)))
    expect(results.filter(r => r.response.status === 200)).toHaveLength(1)
    expect(logs.filter(e => e.event === 'reuse_detected')).toHaveLength(1)
    const winner = results.find(r => r.response.status === 200)!
    expect(await api(server, winner.access)).toBeInstanceOf(Response)
  })

  it('refresh is not activity; keepalive and API calls are; idle timeout ends the session', async () => {
    const { server, clock, logs } = setup({ idleTimeout: 60 })
    let { access, cookie } = await loginToken(server)
    clock.advance(50_000)
    const r = await refreshWith(server, cookie)
    access = r.access!
    cookie = r.cookie!
    clock.advance(11_000)
    expect(await api(server, access)).toBeInstanceOf(Response)
    expect(logs.filter(e => e.event === 'expired_idle')).toHaveLength(1)

    const again = await loginToken(server)
    clock.advance(50_000)
    const keepalive = (await server.handle(request('/auth/keepalive', { bearer: again.access })))!
    expect(keepalive.status).toBe(200)
    const body = await keepalive.json()
    expect(body).toEqual({
      idleExpiresAt: clock.now() + 60_000,
      absoluteExpiresAt: clock.now() - 50_000 + 28_800_000,
      idleExpiresIn: 60,
      absoluteExpiresIn: 28_750,
    })
    expect(keepalive.headers.get('date')).toBe(new Date(clock.now()).toUTCString())
    clock.advance(50_000)
    expect(await api(server, again.access)).toMatchObject({ userId: 'u-alice' })
  })

  it('status answers like keepalive without sliding the idle deadline', async () => {
    const { server, clock } = setup({ idleTimeout: 60 })
    const { access } = await loginToken(server)
    clock.advance(30_000)
    const status = (await server.handle(request('/auth/status', { bearer: access })))!
    const body = (await status.json()) as { idleExpiresIn: number }
    expect(body.idleExpiresIn).toBe(30)
    clock.advance(31_000)
    expect((await server.handle(request('/auth/status', { bearer: access })))!.status).toBe(401)
  })

  it('the absolute timeout ends the session whatever the activity; the cookie lives only as long', async () => {
    const { server, clock } = setup({ idleTimeout: 600, absoluteTimeout: 1800, accessTokenTtl: 300 })
    let { access, cookie } = await loginToken(server)
    for (let i = 0; i < 5; i++) {
      clock.advance(290_000)
      expect(await api(server, access)).toMatchObject({ userId: 'u-alice' })
      const r = await refreshWith(server, cookie)
      expect(r.response.status).toBe(200)
      access = r.access!
      cookie = r.cookie!
      const maxAge = Number(/Max-Age=(\d+)/.exec(r.response.headers.getSetCookie()[0]!)![1])
      expect(maxAge).toBe(1800 - 290 * (i + 1))
    }
    const last = await refreshWith(server, cookie)
    expect(last.body!.expires_in ?? 0).toBeLessThanOrEqual(350)
    clock.advance(350_000)
    expect(await api(server, last.access)).toBeInstanceOf(Response)
    expect((await refreshWith(server, last.cookie!)).response.status).toBe(401)
  })

  it('logout ends the session (expired access token accepted), always clears the site data, expires only the cookie the request carried', async () => {
    const { server, clock } = setup()
    const { access, cookie } = await loginToken(server)
    clock.advance(301_000)
    const out = (await server.handle(
      request('/auth/logout', { ...form({ token_type_hint: 'refresh_token' }), bearer: access, cookie }),
    ))!
    expect(out.status).toBe(200)
    expect(out.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    expect(cookieFrom(out, '__Host-sv_rt')).toBe('__Host-sv_rt=')
    expect((await refreshWith(server, cookie)).response.status).toBe(401)

    const bare = (await server.handle(request('/auth/logout', form({ token_type_hint: 'refresh_token' }))))!
    expect(bare.status).toBe(200)
    // Past the guard the site's data is cleared even without a session; no cookie to expire.
    expect(bare.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    expect(bare.headers.getSetCookie()).toEqual([])
  })

  it('a login that carries an old refresh cookie ends that old session', async () => {
    const { server, logs } = setup()
    const old = await loginToken(server)
    const fresh = await loginToken(server, 'alice', { cookie: old.cookie })
    expect(fresh.sessionId).not.toBe(old.sessionId)
    expect(await api(server, old.access)).toBeInstanceOf(Response)
    expect(await api(server, fresh.access)).toMatchObject({ sessionId: fresh.sessionId })
    expect(logs.filter(e => e.event === 'relogin')).toHaveLength(1)
  })

  it('body transport: the refresh token travels in the body, never in a cookie', async () => {
    const { server } = setup({ refreshToken: 'body' })
    const login = (await server.handle(request('/auth/login', json({ username: 'bob', password: 'battery staple' }))))!
    const body = (await login.json()) as { refresh_token: string; access_token: string }
    expect(login.headers.getSetCookie()).toEqual([])
    const r = (await server.handle(
      request('/auth/refresh', form({ grant_type: 'refresh_token', refresh_token: body.refresh_token })),
    ))!
    expect(r.status).toBe(200)
    const out = (await server.handle(
      request('/auth/logout', {
        ...form({
          token_type_hint: 'refresh_token',
          token: ((await r.json()) as { refresh_token: string }).refresh_token,
        }),
      }),
    ))!
    expect(out.headers.get('clear-site-data')).toBeTruthy()
    expect(await api(server, body.access_token)).toBeInstanceOf(Response)
  })
})
