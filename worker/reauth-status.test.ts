import { afterEach, describe, expect, it, vi } from 'vitest'
import { isSessionVaultError, type SessionVaultErrorCode } from '../src/shared/errors.js'
import type { EndReason } from '../src/shared/protocol.js'
import { CookieAuthenticator } from './cookie-auth.js'
import { TokenAuthenticator } from './token-auth.js'

const APP = 'https://app.example'
const TOKEN = {
  type: 'token' as const,
  loginUrl: `${APP}/auth/login`,
  refreshUrl: `${APP}/auth/refresh`,
  statusUrl: `${APP}/auth/status`,
  reauthUrl: `${APP}/auth/reauth`,
}
const COOKIE = {
  type: 'cookie' as const,
  sessionUrl: `${APP}/auth/session`,
  logoutUrl: `${APP}/auth/logout`,
  statusUrl: `${APP}/auth/status`,
  reauthUrl: `${APP}/auth/reauth`,
  csrfHeader: 'X-CSRF-Token',
}

type Route = (init: RequestInit) => Response
interface Call {
  path: string
  headers: Headers
  body: string
}

/** A fake server: each path answers from its own queue (the last answer repeats). */
function serve(routes: Record<string, Route[]>) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const path = new URL(url).pathname
    calls.push({ path, headers: new Headers(init.headers), body: String(init.body ?? '') })
    const queue = routes[path]
    if (!queue?.length) return json(404, {})
    return (queue.length > 1 ? queue.shift()! : queue[0]!)(init)
  })
  return calls
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
const answer =
  (status: number, body: unknown = {}, headers: Record<string, string> = {}): Route =>
  () =>
    json(status, body, headers)
const tokens = (n: number) =>
  answer(200, { access_token: `access${n}`, token_type: 'Bearer', expires_in: 300, session_id: 'S' })

function hooks() {
  const ended: EndReason[] = []
  return { ended, hooks: { end: (r: EndReason) => ended.push(r), changed: () => {}, error: () => {} } }
}

async function rejects(promise: Promise<unknown>, code: SessionVaultErrorCode): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(isSessionVaultError(error, code), String(error)).toBe(true)
    return (error as Error).message
  }
  throw new Error(`expected ${code}`)
}

async function bearer(auth: TokenAuthenticator): Promise<string | null> {
  const headers = new Headers()
  await (await auth.grant())?.apply(headers, { method: 'GET', url: `${APP}/api` })
  return headers.get('Authorization')
}

afterEach(() => vi.unstubAllGlobals())

describe('token mode: status check and re-authentication', () => {
  async function signedIn(routes: Record<string, Route[]>) {
    const calls = serve({ '/auth/login': [tokens(1)], ...routes })
    const { ended, hooks: h } = hooks()
    const auth = new TokenAuthenticator(TOKEN, 'lock', h)
    await auth.login({ username: 'alice', password: 'pw' })
    return { auth, calls, ended }
  }

  it('status: POST with the bearer token, deadlines back, nothing else changes', async () => {
    const { auth, calls } = await signedIn({ '/auth/status': [answer(200, { idleExpiresIn: 60 })] })
    const deadlines = await auth.status()
    expect(deadlines?.idleExpiresAt).toBeGreaterThan(Date.now())
    const call = calls.find(c => c.path === '/auth/status')!
    expect(call.headers.get('Authorization')).toBe('Bearer access1')
    expect(call.headers.get('Session-Vault')).toBe('1')
    expect(auth.isReserved(TOKEN.statusUrl) && auth.isReserved(TOKEN.reauthUrl)).toBe(true)
  })

  it('status: a 401 that a refresh cannot mend ends the session with reason server', async () => {
    const { auth, ended } = await signedIn({ '/auth/status': [answer(401)], '/auth/refresh': [answer(401)] })
    expect(await auth.status()).toBeNull()
    expect(ended).toEqual(['server'])
  })

  it('reauthenticate: the credentials and the bearer token go out; new tokens, same session', async () => {
    const { auth, calls } = await signedIn({ '/auth/reauth': [tokens(2)] })
    await auth.reauthenticate({ password: 'pw' })
    const call = calls.find(c => c.path === '/auth/reauth')!
    expect(JSON.parse(call.body)).toEqual({ password: 'pw' })
    expect(call.headers.get('Authorization')).toBe('Bearer access1')
    expect(call.headers.get('Content-Type')).toBe('application/json')
    expect(await bearer(auth)).toBe('Bearer access2')
    expect(auth.info().sessionId).toBe('S')
  })

  it('reauthenticate: refused credentials (403) reject ERR_LOGIN_FAILED and keep the session as it was', async () => {
    const { auth, ended } = await signedIn({ '/auth/reauth': [answer(403, { error: 'invalid_credentials' })] })
    expect(await rejects(auth.reauthenticate({ password: 'wrong' }), 'ERR_LOGIN_FAILED')).toMatch(
      /403 invalid_credentials/,
    )
    expect(await bearer(auth)).toBe('Bearer access1')
    expect(ended).toEqual([])
  })

  it('reauthenticate: a 401 gets one refresh; a second 401 refuses the credentials, the session stays', async () => {
    const { auth, ended } = await signedIn({ '/auth/reauth': [answer(401)], '/auth/refresh': [tokens(3)] })
    await rejects(auth.reauthenticate({ password: 'wrong' }), 'ERR_LOGIN_FAILED')
    expect(await bearer(auth)).toBe('Bearer access3')
    expect(ended).toEqual([])
  })

  it('reauthenticate: a 401 and a refused refresh end the session (ERR_SESSION_ENDED)', async () => {
    const { auth, ended } = await signedIn({ '/auth/reauth': [answer(401)], '/auth/refresh': [answer(401)] })
    await rejects(auth.reauthenticate({ password: 'pw' }), 'ERR_SESSION_ENDED')
    expect(ended).toEqual(['server'])
  })

  it('reauthenticate: a 5xx is ERR_NETWORK; without reauthUrl ERR_INVALID_STATE; no secret in messages', async () => {
    const { auth } = await signedIn({ '/auth/reauth': [answer(503)] })
    expect(await rejects(auth.reauthenticate({ password: 'hunter2' }), 'ERR_NETWORK')).not.toContain('hunter2')
    const bare = new TokenAuthenticator({ ...TOKEN, reauthUrl: undefined }, 'lock', hooks().hooks)
    await rejects(bare.reauthenticate({}), 'ERR_INVALID_STATE')
  })
})

describe('cookie mode: status check and re-authentication', () => {
  async function signedIn(routes: Record<string, Route[]>) {
    const calls = serve({
      '/auth/session': [answer(200, { authenticated: true, csrfToken: 'csrf-1', session_id: 'S' })],
      ...routes,
    })
    const { ended, hooks: h } = hooks()
    const auth = new CookieAuthenticator(COOKIE, h)
    await auth.restore()
    return { auth, calls, ended }
  }

  it('status: POST with the CSRF header; a 401 ends the session with reason server', async () => {
    const { auth, calls, ended } = await signedIn({ '/auth/status': [answer(200, { idleExpiresIn: 60 }), answer(401)] })
    expect((await auth.status())?.idleExpiresAt).toBeGreaterThan(Date.now())
    expect(calls.find(c => c.path === '/auth/status')!.headers.get('X-CSRF-Token')).toBe('csrf-1')
    expect(await auth.status()).toBeNull()
    expect(ended).toEqual(['server'])
  })

  it('reauthenticate: adopts the rotated cookie session (new CSRF token and session id)', async () => {
    const { auth, calls } = await signedIn({
      '/auth/reauth': [answer(200, { authenticated: true, csrfToken: 'csrf-2', session_id: 'S2' })],
    })
    await auth.reauthenticate({ password: 'pw' })
    expect(calls.find(c => c.path === '/auth/reauth')!.headers.get('X-CSRF-Token')).toBe('csrf-1')
    const headers = new Headers()
    vi.stubGlobal('self', { location: new URL(APP) })
    await (await auth.grant())!.apply(headers, { method: 'POST', url: `${APP}/api` })
    expect(headers.get('X-CSRF-Token')).toBe('csrf-2')
    expect(auth.info().sessionId).toBe('S2')
  })

  it('reauthenticate: 403 rejects ERR_LOGIN_FAILED and keeps the session; 401 ends it', async () => {
    const { auth, ended } = await signedIn({
      '/auth/reauth': [answer(403, { error: 'invalid_credentials' }), answer(401)],
    })
    await rejects(auth.reauthenticate({ password: 'wrong' }), 'ERR_LOGIN_FAILED')
    expect(auth.info().authenticated).toBe(true)
    expect(ended).toEqual([])
    await rejects(auth.reauthenticate({ password: 'pw' }), 'ERR_SESSION_ENDED')
    expect(ended).toEqual(['server'])
  })
})
