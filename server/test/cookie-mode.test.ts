import { describe, expect, it } from 'vitest'
import { cookieFrom, json, request, setup } from './helpers/harness.js'

async function loginCookie(server: ReturnType<typeof setup>['server'], cookie?: string) {
  const response = (await server.handle(
    request('/auth/login', { ...json({ username: 'alice', password: 'correct horse' }), ...(cookie && { cookie }) }),
  ))!
  const body = (await response.json()) as { csrfToken: string; session_id: string; authenticated: boolean }
  return { response, body, cookie: cookieFrom(response, '__Host-sv_s')!, csrf: body.csrfToken }
}

describe('cookie mode', () => {
  it('login sets a browser-session __Host- cookie; /auth/session hands the CSRF token to the vault', async () => {
    const { server } = setup({ mode: 'cookie' })
    const { response, body, cookie, csrf } = await loginCookie(server)
    expect(response.headers.getSetCookie()[0]).toMatch(
      /^__Host-sv_s=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
    expect(body).toMatchObject({ authenticated: true, idleExpiresIn: 900, absoluteExpiresIn: 28800 })
    const info = (await server.handle(request('/auth/session', { method: 'GET', cookie })))!
    expect(await info.json()).toMatchObject({ authenticated: true, csrfToken: csrf, session_id: body.session_id })
    const anon = (await server.handle(request('/auth/session', { method: 'GET' })))!
    expect(await anon.json()).toEqual({ authenticated: false })
    expect(await server.handle(request('/auth/refresh', { cookie }))).toBeUndefined()
  })

  it('state-changing requests need the CSRF header; GETs do not', async () => {
    const { server, logs } = setup({ mode: 'cookie' })
    const { cookie, csrf } = await loginCookie(server)
    expect((await server.handle(request('/auth/keepalive', { cookie })))!.status).toBe(403)
    expect(
      (await server.handle(request('/auth/keepalive', { cookie, headers: { 'X-CSRF-Token': `${csrf.slice(1)}A` } })))!
        .status,
    ).toBe(403)
    expect(
      (await server.handle(request('/auth/keepalive', { cookie, headers: { 'X-CSRF-Token': csrf } })))!.status,
    ).toBe(200)
    const post = (await server.authenticate(request('/api/notes', { cookie, sdkHeader: false }))) as Response
    expect([post.status, await post.json()]).toEqual([403, { error: 'invalid_csrf_token' }])
    expect(
      await server.authenticate(request('/api/notes', { cookie, headers: { 'X-CSRF-Token': csrf }, sdkHeader: false })),
    ).toMatchObject({ userId: 'u-alice' })
    expect(await server.authenticate(request('/api/notes', { method: 'GET', cookie }))).toMatchObject({
      userId: 'u-alice',
    })
    const cross = (await server.authenticate(
      request('/api/notes', { cookie, headers: { 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'cross-site' } }),
    )) as Response
    expect(cross.status).toBe(403)
    expect(logs.filter(e => e.event === 'csrf_rejected').length).toBe(4)
  })

  it('401 for a dead cookie, and the stale cookie is cleared', async () => {
    const { server, clock } = setup({ mode: 'cookie', idleTimeout: 60 })
    const { cookie } = await loginCookie(server)
    clock.advance(61_000)
    const r = (await server.authenticate(request('/api/me', { method: 'GET', cookie }))) as Response
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toBe('Cookie error="invalid_session"')
    expect(cookieFrom(r, '__Host-sv_s')).toBe('__Host-sv_s=')
  })

  it('logout needs the CSRF token of a live session; clears the site only when the cookie came', async () => {
    const { server } = setup({ mode: 'cookie' })
    const { cookie, csrf } = await loginCookie(server)
    expect((await server.handle(request('/auth/logout', { cookie })))!.status).toBe(403)
    expect(await server.authenticate(request('/api/me', { method: 'GET', cookie }))).toMatchObject({
      userId: 'u-alice',
    })
    const out = (await server.handle(request('/auth/logout', { cookie, headers: { 'X-CSRF-Token': csrf } })))!
    expect(out.status).toBe(200)
    expect(out.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    expect(cookieFrom(out, '__Host-sv_s')).toBe('__Host-sv_s=')
    expect(await server.authenticate(request('/api/me', { method: 'GET', cookie }))).toBeInstanceOf(Response)
    const bare = (await server.handle(request('/auth/logout', {})))!
    expect([bare.status, bare.headers.get('clear-site-data'), bare.headers.getSetCookie()]).toEqual([200, null, []])
  })

  it('a new login gets a new id and ends the session the request still carried (no fixation)', async () => {
    const { server } = setup({ mode: 'cookie' })
    const first = await loginCookie(server)
    const second = await loginCookie(server, first.cookie)
    expect(second.cookie).not.toBe(first.cookie)
    expect(second.body.session_id).not.toBe(first.body.session_id)
    expect(await server.authenticate(request('/api/me', { method: 'GET', cookie: first.cookie }))).toBeInstanceOf(
      Response,
    )
    const planted = await loginCookie(server, `__Host-sv_s=${'P'.repeat(43)}`)
    expect(planted.cookie).not.toContain('PPPP')
  })
})
