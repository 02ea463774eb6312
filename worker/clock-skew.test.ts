import { afterEach, describe, expect, it, vi } from 'vitest'
import { CookieAuthenticator } from './cookie-auth.js'
import { TokenAuthenticator } from './token-auth.js'

// Servers whose clock is 20 minutes off this browser's, sending only epoch deadlines (and Date):
// the vault hands the page deadlines on the local clock, 15 minutes ahead as the server meant.

const MINUTE = 60_000
const IDLE = 15 * MINUTE
const ABSOLUTE = 60 * MINUTE
const hooks = { end: () => {}, changed: () => {}, error: () => {} }

/** A fake server whose clock is `skew` ms off the local one: JSON answers in turn, with `Date` unless `date: false`. */
function serve(skew: number, ...answers: { body: Record<string, unknown>; date?: boolean }[]) {
  vi.stubGlobal('fetch', async () => {
    const { body, date = true } = answers.shift() ?? { body: {} }
    const headers = new Headers({ 'Content-Type': 'application/json' })
    if (date) headers.set('Date', new Date(Date.now() + skew).toUTCString())
    return new Response(JSON.stringify(body), { status: 200, headers })
  })
}

/** What a server without the relative fields says: epoch ms on its own clock. */
const epochDeadlines = (skew: number) => ({
  idleExpiresAt: Date.now() + skew + IDLE,
  absoluteExpiresAt: Date.now() + skew + ABSOLUTE,
})

const tokens = { access_token: 'access1', token_type: 'Bearer', expires_in: 300 }

/** Deadlines as far ahead of the local clock as the server meant (the Date's one-second resolution allowed for). */
function expectAhead(deadlines: { idleExpiresAt?: number; absoluteExpiresAt?: number } | null | undefined) {
  const now = Date.now()
  const idle = (deadlines?.idleExpiresAt ?? Number.NaN) - now
  const absolute = (deadlines?.absoluteExpiresAt ?? Number.NaN) - now
  expect(idle).toBeGreaterThan(IDLE - 1_500)
  expect(idle).toBeLessThanOrEqual(IDLE)
  expect(absolute).toBeGreaterThan(ABSOLUTE - 1_500)
  expect(absolute).toBeLessThanOrEqual(ABSOLUTE)
}

afterEach(() => {
  vi.unstubAllGlobals()
})

const CONFIG = {
  type: 'token' as const,
  loginUrl: 'https://app.example/auth/login',
  refreshUrl: 'https://app.example/auth/refresh',
  keepaliveUrl: 'https://app.example/auth/keepalive',
}

describe.each([
  ['20 minutes ahead of', 20 * MINUTE],
  ['20 minutes behind', -20 * MINUTE],
])('a server clock %s the browser, epoch deadlines only', (_, skew) => {
  it('token mode: the login, refresh and keepalive answers give local deadlines', async () => {
    serve(
      skew,
      { body: { ...tokens, ...epochDeadlines(skew) } },
      { body: { ...tokens, access_token: 'access2', ...epochDeadlines(skew) } },
      { body: epochDeadlines(skew) },
    )
    const auth = new TokenAuthenticator(CONFIG, 'lock', hooks)
    await auth.login({})
    expectAhead(auth.info().server)
    await auth.recover((await auth.grant())!)
    expectAhead(auth.info().server)
    expectAhead(await auth.keepalive())
  })

  it('token mode: an answer without Date keeps the offset of the one before', async () => {
    serve(skew, { body: tokens }, { body: epochDeadlines(skew), date: false })
    const auth = new TokenAuthenticator(CONFIG, 'lock', hooks)
    await auth.login({})
    expectAhead(await auth.keepalive())
  })

  it("cookie mode: the session endpoint's and the keepalive's answers give local deadlines", async () => {
    serve(
      skew,
      { body: { authenticated: true, csrfToken: 'csrf', ...epochDeadlines(skew) } },
      { body: epochDeadlines(skew) },
    )
    const auth = new CookieAuthenticator(
      {
        type: 'cookie',
        sessionUrl: 'https://app.example/session',
        keepaliveUrl: 'https://app.example/keepalive',
        logoutUrl: 'https://app.example/logout',
        csrfHeader: 'X-CSRF-Token',
      },
      hooks,
    )
    expect(await auth.restore()).toBe(true)
    expectAhead(auth.info().server)
    expectAhead(await auth.keepalive())
  })
})

describe('relative deadlines', () => {
  it('seconds from now are taken as they are, whatever the Date says', async () => {
    serve(3_600_000, { body: tokens }, { body: { idleExpiresIn: IDLE / 1000, absoluteExpiresIn: ABSOLUTE / 1000 } })
    const auth = new TokenAuthenticator(CONFIG, 'lock', hooks)
    await auth.login({})
    const deadlines = await auth.keepalive()
    expect(deadlines!.idleExpiresAt! - Date.now()).toBeGreaterThan(IDLE - 100)
    expect(deadlines!.absoluteExpiresAt! - Date.now()).toBeGreaterThan(ABSOLUTE - 100)
  })

  it('a server without Date and without relative fields is taken at its word (offset 0)', async () => {
    const sent = { idleExpiresAt: Date.now() + IDLE, absoluteExpiresAt: Date.now() + ABSOLUTE }
    serve(0, { body: tokens, date: false }, { body: sent, date: false })
    const auth = new TokenAuthenticator(CONFIG, 'lock', hooks)
    await auth.login({})
    expect(await auth.keepalive()).toEqual(sent)
  })
})
