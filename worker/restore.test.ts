// Which start-up restores are worth another try (issue 11, item 2): the server unreachable or a
// 5xx says nothing about the session; a 401 (or a 400 refusal) says there is none.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CookieAuthenticator } from './cookie-auth.js'
import { TokenAuthenticator } from './token-auth.js'

const TOKEN = {
  type: 'token' as const,
  loginUrl: 'https://app.example/auth/login',
  refreshUrl: 'https://app.example/auth/refresh',
}
const COOKIE = {
  type: 'cookie' as const,
  sessionUrl: 'https://app.example/session',
  logoutUrl: 'https://app.example/logout',
  csrfHeader: 'X-CSRF-Token',
}

/** The server's one answer: a status and JSON body, or `'down'` for a connection that fails. */
function answer(status: number | 'down', body: unknown = {}) {
  vi.stubGlobal('fetch', async () => {
    if (status === 'down') throw new TypeError('Failed to fetch')
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
  })
}

const hooks = () => {
  const errors: unknown[] = []
  return { errors, hooks: { end: () => {}, changed: () => {}, error: (e: unknown) => errors.push(e) } }
}

afterEach(() => vi.unstubAllGlobals())

describe.each([
  ['token', (h: ReturnType<typeof hooks>['hooks']) => new TokenAuthenticator(TOKEN, 'lock', h)],
  ['cookie', (h: ReturnType<typeof hooks>['hooks']) => new CookieAuthenticator(COOKIE, h)],
] as const)('%s mode restore', (_mode, make) => {
  it.each([['down'], [500], [502], [503]] as const)(
    '%s: not known, reported as ERR_NETWORK, worth another try',
    async status => {
      answer(status)
      const { hooks: h, errors } = hooks()
      const auth = make(h)
      expect(await auth.restore()).toBe(false)
      expect(auth.info().authenticated).toBe(false)
      expect(errors).toMatchObject([{ code: 'ERR_NETWORK' }])
    },
  )

  it('401: known, no session, nothing reported', async () => {
    answer(401, { error: 'invalid_grant' })
    const { hooks: h, errors } = hooks()
    const auth = make(h)
    expect(await auth.restore()).toBe(true)
    expect(auth.info().authenticated).toBe(false)
    expect(errors).toEqual([])
  })
})

it('token mode: 400 (the refresh token refused) is a known answer', async () => {
  answer(400, { error: 'invalid_grant' })
  const { hooks: h } = hooks()
  expect(await new TokenAuthenticator(TOKEN, 'lock', h).restore()).toBe(true)
})

it('cookie mode: a session answer is known and signs in', async () => {
  answer(200, { authenticated: true, idleExpiresIn: 60 })
  const { hooks: h } = hooks()
  const auth = new CookieAuthenticator(COOKIE, h)
  expect(await auth.restore()).toBe(true)
  expect(auth.info().authenticated).toBe(true)
})
