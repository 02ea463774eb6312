// The reference server's step-up routes (RFC 9470): DELETE /api/notes and
// DELETE /classic/api/notes want a recent sign-in; /auth/reauth and
// /classic/reauth give one; /classic/status answers without sliding; the
// /test/step-up hook shortens the window. Time moves with /test/clock.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  ALICE,
  BOB,
  classicLive,
  classicLogin,
  cookieFrom,
  type Server,
  sameOrigin,
  testJson,
  tokenLogin,
  useReferenceServer,
  whoAmI,
} from './test-client.js'

const server = useReferenceServer({ throttle: { accountFreeFailures: 1000, clientFreeFailures: 1000 } })

const CHALLENGE =
  'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="300"'

/** Move the session servers' clock `seconds` ahead of the real one. */
const later = (seconds: number) =>
  testJson(server, '/test/clock', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ offsetMs: seconds * 1000 }),
  })

const stepUpWindow = (maxAge: unknown) =>
  fetch(`${server.origin}/test/step-up`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ maxAge }),
  })

async function expectChallenge(response: Response, maxAge = 300) {
  expect(response.status).toBe(401)
  expect(response.headers.get('www-authenticate')).toBe(CHALLENGE.replace('"300"', `"${maxAge}"`))
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(await response.json()).toEqual({ error: 'insufficient_user_authentication', max_age: maxAge })
}

describe('token mode', () => {
  // Access tokens live 300 s: a 60 s window lets the clock move past it while they still work.
  beforeEach(async () => {
    expect((await stepUpWindow(60)).status).toBe(200)
  })
  const api = (access: string | undefined, method = 'GET', body?: unknown) =>
    fetch(`${server.origin}/api/notes`, {
      method,
      headers: { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
  const reauth = (s: Server, access: string | undefined, credentials: Record<string, string>) =>
    fetch(`${s.origin}/auth/reauth`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json', ...sameOrigin(s.origin) },
      body: JSON.stringify(credentials),
    })

  it('DELETE /api/notes: fresh sign-in deletes; an old one gets the challenge and keeps notes and session', async () => {
    const alice = await tokenLogin(server, ALICE)
    expect((await api(alice.access, 'POST', { text: 'one' })).status).toBe(201)
    expect(await (await api(alice.access, 'DELETE')).json()).toEqual({ deleted: 1 })
    expect((await api(alice.access, 'POST', { text: 'two' })).status).toBe(201)

    await later(61)
    await expectChallenge(await api(alice.access, 'DELETE'), 60)
    expect(((await (await api(alice.access)).json()) as { notes: unknown[] }).notes).toHaveLength(1)
    expect(await whoAmI(server, alice.access)).toBe('alice')
  })

  it('POST /auth/reauth: 403 for a wrong or another user\u2019s password (nothing changes); 200 rotates and unlocks', async () => {
    const alice = await tokenLogin(server, ALICE)
    await later(100)
    await expectChallenge(await api(alice.access, 'DELETE'), 60)
    for (const credentials of [{ ...ALICE, password: 'wrong' }, BOB]) {
      const refused = await reauth(server, alice.access, credentials)
      expect([refused.status, await refused.json()]).toEqual([403, { error: 'invalid_credentials' }])
    }
    expect(await whoAmI(server, alice.access)).toBe('alice')

    const ok = await reauth(server, alice.access, ALICE)
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { access_token: string; session_id: string; token_type: string }
    expect(body.session_id).toBe(alice.sessionId)
    expect(body.token_type).toBe('Bearer')
    expect(cookieFrom(ok)).toBeTruthy()
    expect(await whoAmI(server, alice.access)).toBe(401)
    expect(await (await api(body.access_token, 'DELETE')).json()).toEqual({ deleted: 0 })
  })

  it('POST /auth/reauth without a live session: 401 invalid_token', async () => {
    const dead = await reauth(server, 'A'.repeat(43), ALICE)
    expect([dead.status, dead.headers.get('www-authenticate'), await dead.json()]).toEqual([
      401,
      'Bearer error="invalid_token"',
      { error: 'invalid_token' },
    ])
  })

  it('/test/step-up shortens the window (whole seconds >= 1); /test/reset puts back 300', async () => {
    for (const bad of [0, -1, 1.5, '5', null]) expect((await stepUpWindow(bad)).status, String(bad)).toBe(400)
    expect(await (await stepUpWindow(5)).json()).toEqual({ ok: true, maxAge: 5 })
    const alice = await tokenLogin(server, ALICE)
    await later(6)
    await expectChallenge(await api(alice.access, 'DELETE'), 5)

    expect((await fetch(`${server.origin}/test/reset`, { method: 'POST' })).status).toBe(200)
    const fresh = await tokenLogin(server, ALICE)
    await later(250)
    expect((await api(fresh.access, 'DELETE')).status).toBe(200)
  })
})

describe('cookie mode (/classic/)', () => {
  async function signedIn() {
    const { session } = await classicLogin(server, ALICE)
    const info = (await (
      await fetch(`${server.origin}/classic/session`, {
        headers: { Cookie: `__Host-sv_s=${session}` },
      })
    ).json()) as { csrfToken: string }
    return { session: session!, csrf: info.csrfToken }
  }
  const call = (path: string, cookie: string, init: { csrf?: string; method?: string; body?: unknown } = {}) =>
    fetch(`${server.origin}${path}`, {
      method: init.method ?? 'POST',
      headers: {
        Cookie: `__Host-sv_s=${cookie}`,
        ...sameOrigin(server.origin),
        ...(init.csrf && { 'X-CSRF-Token': init.csrf }),
        ...(init.body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    })

  it('POST /classic/status answers the deadlines without sliding (no CSRF token needed); keepalive slides', async () => {
    const { session, csrf } = await signedIn()
    const start = (await (await call('/classic/status', session)).json()) as { idleExpiresAt: number }
    await later(60)
    expect(((await (await call('/classic/status', session)).json()) as typeof start).idleExpiresAt).toBe(
      start.idleExpiresAt,
    )
    const kept = (await (await call('/classic/keepalive', session, { csrf })).json()) as typeof start
    expect(kept.idleExpiresAt).toBeGreaterThanOrEqual(start.idleExpiresAt + 60_000)
    const noHeader = await fetch(`${server.origin}/classic/status`, {
      method: 'POST',
      headers: { Cookie: `__Host-sv_s=${session}` },
    })
    expect(noHeader.status).toBe(403)
    expect((await call('/classic/status', 'A'.repeat(43))).status).toBe(401)
  })

  it('DELETE /classic/api/notes: the challenge; /classic/reauth 403 then 200 with a new cookie; then it deletes', async () => {
    const { session, csrf } = await signedIn()
    expect((await call('/classic/api/notes', session, { csrf, body: { text: 'x' } })).status).toBe(201)
    await later(301)
    await expectChallenge(await call('/classic/api/notes', session, { csrf, method: 'DELETE' }))
    expect(await classicLive(server, session)).toBe(true)

    expect((await call('/classic/reauth', session, { body: ALICE })).status).toBe(403) // no CSRF header
    const wrong = await call('/classic/reauth', session, { csrf, body: { ...ALICE, password: 'nope' } })
    expect([wrong.status, await wrong.json()]).toEqual([403, { error: 'invalid_credentials' }])
    expect(await classicLive(server, session)).toBe(true)

    const ok = await call('/classic/reauth', session, { csrf, body: ALICE })
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { authenticated: boolean; csrfToken: string }
    const renewed = cookieFrom(ok, '__Host-sv_s')!
    expect(body.authenticated).toBe(true)
    expect(renewed).not.toBe(session)
    expect(await classicLive(server, session)).toBe(false)
    const deleted = await call('/classic/api/notes', renewed, { csrf: body.csrfToken, method: 'DELETE' })
    expect(await deleted.json()).toEqual({ deleted: 1 })
  })
})
