// Attack tests of the reference server for the security review's server-side findings 1 and 4
// (issue 16): login CSRF / session swap through /auth/refresh, and cross-site forced logout.
// Each one fails on the server as it was before the fixes. Token values are only ever compared
// as booleans. The session machinery is session-vault/server's since the demo mounts it: event
// names and fields are the library's (see docs/server.md, "Logs").
import { describe, expect, it, vi } from 'vitest'
import {
  ALICE,
  BOB,
  classicLogin,
  cookieFrom,
  counters,
  events,
  issued,
  REFRESH_COOKIE,
  sameOrigin,
  tokenLogin,
  tokenRefresh,
  useReferenceServer,
  VAULT,
  whoAmI,
} from './test-client.js'

// Generous: scrypt is CPU-bound and the CI machine is shared.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

const server = useReferenceServer()

const AUTH_ROUTES = ['/auth/login', '/auth/refresh', '/auth/logout', '/auth/keepalive'] as const

/** A request to an /auth route as a browser would send it, with the victim's cookie and bearer token. */
async function authPost(
  path: string,
  { cookie, access, headers }: { cookie?: string; access?: string; headers: Record<string, string> },
) {
  const body =
    path === '/auth/login'
      ? { type: 'application/json', text: JSON.stringify(ALICE) }
      : { type: 'application/x-www-form-urlencoded', text: 'grant_type=refresh_token' }
  const response = await fetch(`${server.origin}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': body.type,
      ...(cookie && { Cookie: `${REFRESH_COOKIE}=${cookie}` }),
      ...(access && { Authorization: `Bearer ${access}` }),
      ...headers,
    },
    body: body.text,
  })
  const text = await response.text()
  return { response, text }
}

describe('item 1: login CSRF / session swap through /auth/refresh', () => {
  it('refresh never reads refresh_token from the body: a planted one is refused and spends nothing', async () => {
    const alice = await tokenLogin(server, ALICE)
    const bob = await tokenLogin(server, BOB)
    expect(Boolean(alice.refresh && bob.refresh)).toBe(true)
    // Same-origin in every respect, so only the body rule is tested here.
    const answer = await tokenRefresh(server, alice.refresh, { extra: { refresh_token: bob.refresh! } })
    expect(answer.status).toBe(400)
    expect(Boolean(answer.access)).toBe(false)
    expect(answer.response.headers.getSetCookie()).toEqual([])
    // Neither token was spent by it: both refresh their own session (no reuse, no swap).
    const own = await tokenRefresh(server, alice.refresh)
    expect([own.status, own.sessionId === alice.sessionId]).toEqual([200, true])
    expect(await whoAmI(server, own.access)).toBe('alice')
    expect((await tokenRefresh(server, bob.refresh)).status).toBe(200)
  })

  it('a refresh_token in the body without the cookie is refused', async () => {
    const bob = await tokenLogin(server, BOB)
    const answer = await tokenRefresh(server, undefined, { extra: { refresh_token: bob.refresh! } })
    expect([400, 401]).toContain(answer.status)
    expect(Boolean(answer.access)).toBe(false)
    expect((await tokenRefresh(server, bob.refresh)).status).toBe(200)
  })

  for (const [name, headers] of [
    ['Sec-Fetch-Site: same-site (a page of a sibling origin)', { 'Sec-Fetch-Site': 'same-site', ...VAULT }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site', ...VAULT }],
    ['Sec-Fetch-Site: none', { 'Sec-Fetch-Site': 'none', ...VAULT }],
    ['an Origin of another port', { Origin: 'http://127.0.0.1:1', ...VAULT }],
    ['Origin: null', { Origin: 'null', ...VAULT }],
    [
      'a form post (same-site, no Session-Vault header)',
      { 'Sec-Fetch-Site': 'same-site', Origin: 'http://127.0.0.1:1' },
    ],
  ] as const) {
    it(`every /auth/* POST refuses ${name}: 403, nothing runs, nothing is cleared`, async () => {
      const alice = await tokenLogin(server, ALICE)
      const before = await counters(server)
      for (const path of AUTH_ROUTES) {
        const { response, text } = await authPost(path, { cookie: alice.refresh, access: alice.access, headers })
        expect(response.status, path).toBe(403)
        expect(text, path).not.toContain('access_token')
        expect(response.headers.getSetCookie(), path).toEqual([])
        expect(response.headers.get('clear-site-data'), path).toBeNull()
      }
      const after = await counters(server)
      expect([after.login, after.refresh, after.logout, after.keepalive]).toEqual([
        before.login,
        before.refresh,
        before.logout,
        before.keepalive,
      ])
      expect(after.guardRejected - before.guardRejected).toBe(AUTH_ROUTES.length)
      // The victim's session is untouched: its access token works, its cookie still refreshes.
      expect(await whoAmI(server, alice.access)).toBe('alice')
      expect((await tokenRefresh(server, alice.refresh)).status).toBe(200)
    })
  }

  it('every /auth/* POST refuses a same-origin request without Session-Vault: 1', async () => {
    const alice = await tokenLogin(server, ALICE)
    for (const value of [undefined, '0', 'true']) {
      for (const path of AUTH_ROUTES) {
        const headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin', Origin: server.origin }
        if (value !== undefined) headers['Session-Vault'] = value
        const { response } = await authPost(path, { cookie: alice.refresh, access: alice.access, headers })
        expect(response.status, `${path} Session-Vault=${value}`).toBe(403)
        expect(response.headers.get('clear-site-data')).toBeNull()
      }
    }
    expect(await whoAmI(server, alice.access)).toBe('alice')
  })

  it("the vault's own same-origin calls and non-browser clients with the header pass", async () => {
    const browserLike = await tokenLogin(server, ALICE)
    expect(browserLike.status).toBe(200)
    const bare = await fetch(`${server.origin}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...VAULT },
      body: JSON.stringify(BOB),
    })
    expect(bare.status).toBe(200)
    // The Host the browser used is the origin it must send (localhost is another origin than 127.0.0.1).
    const viaLocalhost = await tokenLogin(server, ALICE, { Origin: server.origin.replace('127.0.0.1', 'localhost') })
    expect(viaLocalhost.status).toBe(403)
  })

  it('token answers carry session_id: opaque, not a secret, stable through refresh and password change, new at every login', async () => {
    const first = await tokenLogin(server, ALICE)
    const second = await tokenLogin(server, ALICE)
    expect(typeof first.sessionId === 'string' && first.sessionId.length >= 22).toBe(true)
    expect(first.sessionId === second.sessionId).toBe(false)
    const refreshed = await tokenRefresh(server, first.refresh)
    expect(refreshed.sessionId === first.sessionId).toBe(true)
    // Not a token, and the log carries only its salted hash. (It is the remote-sign-out handle of the
    // sessions list: public, and good only with a live session of the same user.)
    const secrets = (await issued(server)).all
    expect(secrets.includes(first.sessionId!)).toBe(false)
    expect(JSON.stringify(await events(server)).includes(first.sessionId!)).toBe(false)
    // A password change renews the session under a new secret id, same public one.
    const change = await fetch(`${server.origin}/api/password`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${refreshed.access}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: ALICE.password, newPassword: 'a new long password' }),
    })
    expect(change.status).toBe(200)
    const renewed = await tokenRefresh(server, cookieFrom(change))
    expect(renewed.status).toBe(200)
    expect(renewed.sessionId === first.sessionId).toBe(true)
  })
})

describe('item 4: cross-site forced logout and cookie wipe', () => {
  it('a cross-site form to /auth/logout neither ends the session nor sends Clear-Site-Data', async () => {
    const alice = await tokenLogin(server, ALICE)
    const classic = await classicLogin(server, BOB)
    expect(Boolean(classic.session)).toBe(true)
    const response = await fetch(`${server.origin}/auth/logout`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Sec-Fetch-Site': 'same-site',
        Origin: 'http://127.0.0.1:1',
        Cookie: `${REFRESH_COOKIE}=${alice.refresh}; __Host-sv_s=${classic.session}`,
      },
      body: '',
    })
    expect(response.status).toBe(403)
    expect(response.headers.get('clear-site-data')).toBeNull()
    expect(response.headers.getSetCookie()).toEqual([])
    expect(await whoAmI(server, alice.access)).toBe('alice')
  })

  it('a failed cross-site refresh leaves the refresh cookie alone', async () => {
    const alice = await tokenLogin(server, ALICE)
    const answer = await tokenRefresh(server, alice.refresh, {
      extra: { refresh_token: 'not-a-token' },
      headers: { 'Sec-Fetch-Site': 'same-site', Origin: 'http://127.0.0.1:1', 'Session-Vault': '' },
    })
    expect(answer.status).toBe(403)
    expect(answer.response.headers.getSetCookie()).toEqual([])
    expect((await tokenRefresh(server, alice.refresh)).status).toBe(200)
  })

  it('the clearing Set-Cookie goes only to a request that carried the cookie', async () => {
    const refresh = await tokenRefresh(server, undefined)
    expect(refresh.status).toBe(401)
    expect(refresh.response.headers.getSetCookie()).toEqual([])
    const stale = await tokenRefresh(server, 'x'.repeat(43))
    expect(stale.status).toBe(401)
    expect(cookieFrom(stale.response)).toBe('')

    const bare = await fetch(`${server.origin}/auth/logout`, { method: 'POST', headers: sameOrigin(server.origin) })
    expect(bare.status).toBe(200)
    expect(bare.headers.getSetCookie()).toEqual([])
    expect(bare.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    const alice = await tokenLogin(server, ALICE)
    const withCookie = await fetch(`${server.origin}/auth/logout`, {
      method: 'POST',
      headers: { ...sameOrigin(server.origin), Cookie: `${REFRESH_COOKIE}=${alice.refresh}` },
    })
    expect(withCookie.status).toBe(200)
    expect(cookieFrom(withCookie)).toBe('')
    expect(await whoAmI(server, alice.access)).toBe(401)
  })
})
