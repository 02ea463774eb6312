import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EndReason } from '../src/shared/protocol.js'
import { TokenAuthenticator } from './token-auth.js'

const CONFIG = {
  type: 'token' as const,
  loginUrl: 'https://app.example/auth/login',
  refreshUrl: 'https://app.example/auth/refresh',
  logoutUrl: 'https://app.example/auth/logout',
  keepaliveUrl: 'https://app.example/auth/keepalive',
}

/** A fake server: each answer in turn; records each request's URL and Session-Vault header. */
function serve(...answers: unknown[]) {
  const calls: { url: string; header: string | null }[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, header: new Headers(init.headers).get('Session-Vault') })
    const answer = answers.shift() ?? {}
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
  return calls
}

const tokens = (n: number, sessionId?: string) => ({
  access_token: `access${n}`,
  token_type: 'Bearer',
  expires_in: 300,
  ...(sessionId ? { session_id: sessionId } : {}),
})

function authenticator() {
  const ended: EndReason[] = []
  const auth = new TokenAuthenticator(CONFIG, 'lock', {
    end: reason => ended.push(reason),
    changed: () => {},
    error: () => {},
  })
  return { auth, ended }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('TokenAuthenticator', () => {
  it('sends Session-Vault: 1 on login, refresh, keepalive and logout', async () => {
    const calls = serve(tokens(1, 's1'), tokens(2, 's1'), { idleExpiresAt: 1 }, {})
    const { auth } = authenticator()
    await auth.login({ username: 'alice' })
    await auth.recover((await auth.grant())!)
    await auth.keepalive()
    expect(await auth.logout(1_000)).toBe(true)
    expect(calls.map(call => [new URL(call.url).pathname, call.header])).toEqual([
      ['/auth/login', '1'],
      ['/auth/refresh', '1'],
      ['/auth/keepalive', '1'],
      ['/auth/logout', '1'],
    ])
  })

  it.each([
    ['another session_id', tokens(2, 's2')],
    ['no session_id any more', tokens(2)],
  ])('a refresh that answers with %s ends the session (revoked) and never adopts the tokens', async (_, answer) => {
    serve(tokens(1, 's1'), answer)
    const { auth, ended } = authenticator()
    await auth.login({})
    const before = (await auth.grant())!
    expect(await auth.recover(before)).toBeNull()
    expect(ended).toEqual(['revoked'])
    const headers = new Headers()
    await (await auth.grant())!.apply(headers, { method: 'GET', url: CONFIG.loginUrl })
    expect(headers.get('Authorization') === 'Bearer access1', 'the old token stays for the logout call').toBe(true)
  })

  it('the same session_id, or a server that never sends one, refreshes as before', async () => {
    serve(tokens(1, 's1'), tokens(2, 's1'))
    const first = authenticator()
    await first.auth.login({})
    expect(await first.auth.recover((await first.auth.grant())!)).not.toBeNull()
    serve(tokens(1), tokens(2, 'late'))
    const second = authenticator()
    await second.auth.login({})
    expect(await second.auth.recover((await second.auth.grant())!)).not.toBeNull()
    expect([...first.ended, ...second.ended]).toEqual([])
  })

  it('restore adopts whatever session answers; the refreshes after it must answer for that one', async () => {
    serve(tokens(1, 'bob'), tokens(2, 'alice'))
    const { auth, ended } = authenticator()
    await auth.restore()
    expect(auth.info().authenticated).toBe(true)
    expect(await auth.recover((await auth.grant())!)).toBeNull()
    expect(ended).toEqual(['revoked'])
  })
})

describe('session deadlines in token answers', () => {
  it('a restore learns the server deadlines from the token answer; seconds-from-now win over epoch times', async () => {
    serve({ ...tokens(1), idleExpiresIn: 900, absoluteExpiresIn: 3_600, idleExpiresAt: 1, absoluteExpiresAt: 2 })
    const now = 1_700_000_000_000
    const ended: EndReason[] = []
    const auth = new TokenAuthenticator(
      CONFIG,
      'lock',
      { end: reason => ended.push(reason), changed: () => {}, error: () => {} },
      () => now,
    )
    await auth.restore()
    expect(auth.info()).toMatchObject({
      authenticated: true,
      server: { idleExpiresAt: now + 900_000, absoluteExpiresAt: now + 3_600_000 },
    })
  })

  it('epoch times alone are taken as sent; an answer without deadlines gives none', async () => {
    serve({ ...tokens(1), absoluteExpiresAt: 42 }, tokens(2))
    const { auth } = authenticator()
    await auth.login({})
    expect(auth.info().server).toEqual({ absoluteExpiresAt: 42 })
    await auth.recover((await auth.grant())!)
    expect(auth.info().server).toBeUndefined()
  })
})

describe('the session tag of the stored idle snapshot', () => {
  it('is the session_id, stable across refreshes even when the deadlines are relative', async () => {
    serve({ ...tokens(1, 's1'), absoluteExpiresIn: 100 }, { ...tokens(2, 's1'), absoluteExpiresIn: 99 })
    let now = 1_000
    const auth = new TokenAuthenticator(
      CONFIG,
      'lock',
      { end: () => {}, changed: () => {}, error: () => {} },
      () => now,
    )
    await auth.login({})
    const first = auth.info()
    now += 1_700
    await auth.recover((await auth.grant())!)
    expect(auth.info().sessionId).toBe('s1')
    expect(auth.info().sessionId).toBe(first.sessionId)
    expect(auth.info().server?.absoluteExpiresAt).not.toBe(first.server?.absoluteExpiresAt)
  })
})
