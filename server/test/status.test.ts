import { describe, expect, it } from 'vitest'
import { type Call, cookieFrom, json, loginToken, request, setup } from './helpers/harness.js'

type Deadlines = { idleExpiresAt: number; absoluteExpiresAt: number; idleExpiresIn: number; absoluteExpiresIn: number }

/** A signed-in session of either mode, and how to call an auth route with it. */
async function signedIn(mode: 'token' | 'cookie') {
  const made = setup({ mode })
  if (mode === 'token') {
    const { access } = await loginToken(made.server)
    return {
      ...made,
      call: (path: string, extra: Call = {}) => made.server.handle(request(path, { bearer: access, ...extra })),
    }
  }
  const login = (await made.server.handle(
    request('/auth/login', json({ username: 'alice', password: 'correct horse' })),
  ))!
  const cookie = cookieFrom(login, '__Host-sv_s')!
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  return {
    ...made,
    csrfToken,
    call: (path: string, extra: Call = {}) =>
      made.server.handle(request(path, { cookie, headers: { 'X-CSRF-Token': csrfToken }, ...extra })),
  }
}

describe.each(['token', 'cookie'] as const)('POST status (%s mode)', mode => {
  it('answers the deadlines like keepalive and never slides them; keepalive does', async () => {
    const { call, clock } = await signedIn(mode)
    const start = (await (await call('/auth/status'))!.json()) as Deadlines
    expect(start).toEqual({
      idleExpiresAt: expect.any(Number),
      absoluteExpiresAt: expect.any(Number),
      idleExpiresIn: 900,
      absoluteExpiresIn: 28800,
    })
    clock.advance(60_000)
    const later = (await (await call('/auth/status'))!.json()) as Deadlines
    expect(later).toEqual({ ...start, idleExpiresIn: 840, absoluteExpiresIn: 28740 })
    const kept = (await (await call('/auth/keepalive'))!.json()) as Deadlines
    expect(kept.idleExpiresAt).toBe(start.idleExpiresAt + 60_000)
    expect(kept.absoluteExpiresAt).toBe(start.absoluteExpiresAt)
    expect(((await (await call('/auth/status'))!.json()) as Deadlines).idleExpiresAt).toBe(kept.idleExpiresAt)
  })

  it('401 once the session is gone; 403 without the Session-Vault header; POST only', async () => {
    const { call, clock } = await signedIn(mode)
    const noHeader = (await call('/auth/status', { sdkHeader: false }))!
    expect([noHeader.status, await noHeader.json()]).toEqual([403, { error: 'missing_session_vault_header' }])
    const get = (await call('/auth/status', { method: 'GET' }))!
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST'])
    clock.advance(900_000)
    const gone = (await call('/auth/status'))!
    expect(gone.status).toBe(401)
    expect(gone.headers.get('www-authenticate')).toBe(
      mode === 'token' ? 'Bearer error="invalid_token"' : 'Cookie error="invalid_session"',
    )
  })
})

describe('POST status, cookie mode', () => {
  it('asks no CSRF token (it changes nothing) but keeps the cross-site guard', async () => {
    const { call, logs } = await signedIn('cookie')
    const bare = (await call('/auth/status', { headers: {} }))!
    expect(bare.status).toBe(200)
    expect(await bare.json()).toMatchObject({ idleExpiresIn: 900 })
    const wrong = (await call('/auth/status', { headers: { 'X-CSRF-Token': 'stale' } }))!
    expect(wrong.status).toBe(200)
    const cross = (await call('/auth/status', { headers: { 'Sec-Fetch-Site': 'cross-site' } }))!
    expect([cross.status, await cross.json()]).toEqual([403, { error: 'cross_site_request' }])
    // keepalive (activity) still wants the token
    expect((await call('/auth/keepalive', { headers: {} }))!.status).toBe(403)
    expect(logs.filter(l => l.event === 'csrf_rejected')).toHaveLength(1)
  })
})
