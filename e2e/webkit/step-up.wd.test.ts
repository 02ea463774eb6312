// Issue 11, item 4 in WebKit: the step-up challenge keeps the session in token, cookie and OAuth
// mode; a wrong password changes nothing; re-authentication lets the action run (Chromium and
// Firefox: e2e/sdk/step-up.spec.ts, e2e/classic/step-up.spec.ts, e2e/oauth/step-up.spec.ts). The
// OAuth case here also persists the session (`persist: 'dpop'`), so the callback page upgrades the
// restored session in place.
import { describe, expect, test } from 'vitest'
import { ALICE, TOKEN_AUTH, useWebKit } from './driver.js'
import { useWebKitOAuth } from './oauth-flow.js'

const MAX_AGE_S = 1
const AGED_MS = MAX_AGE_S * 1_000 + 1_100
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

const wk = useWebKit()

/** A call through `session` (the harness's, or the script tag's): the status, or the error's code and max age. */
function call(method: string, url: string, which: 'harness' | 'script-tag' = 'harness') {
  return wk.run(
    async (m: string, u: string, w: string) => {
      const session = w === 'harness' ? window.session : window.SessionVault.current!
      try {
        return { status: (await session.fetch(u, { method: m })).status }
      } catch (error) {
        const { code, maxAge } = error as { code?: string; maxAge?: number }
        return { code, maxAge }
      }
    },
    method,
    url,
    which,
  )
}

function reauthenticate(password: string, which: 'harness' | 'script-tag' = 'harness') {
  return wk.run(
    (pw: string, user: string, w: string) =>
      (w === 'harness' ? window.session : window.SessionVault.current!)
        .reauthenticate({ username: user, password: pw })
        .then(
          () => ({ ok: true }),
          (error: { code?: string }) => ({ ok: false, code: error.code }),
        ),
    password,
    ALICE.username,
    which,
  )
}

async function addNote(url: string, which: 'harness' | 'script-tag' = 'harness') {
  const status = await wk.run(
    async (u: string, w: string) =>
      (
        await (w === 'harness' ? window.session : window.SessionVault.current!).fetch(u, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: 'a note' }),
        })
      ).status,
    url,
    which,
  )
  expect(status).toBe(201)
}

describe('WebKit: step-up re-authentication', () => {
  test('token mode: challenge, a wrong password changes nothing, the right one renews and the action runs', async () => {
    await wk.server.post('/test/step-up', { maxAge: MAX_AGE_S })
    await wk.signedIn({ auth: { ...TOKEN_AUTH, reauthUrl: '/auth/reauth' } })
    await addNote('/api/notes')
    await sleep(AGED_MS)
    expect(await call('DELETE', '/api/notes')).toEqual({ code: 'ERR_STEP_UP_REQUIRED', maxAge: MAX_AGE_S })
    expect((await wk.events('step-up')).map(e => e.payload)).toEqual([{ maxAge: MAX_AGE_S }])
    const before = await wk.server.tokens()
    expect(await reauthenticate('not the password')).toEqual({ ok: false, code: 'ERR_LOGIN_FAILED' })
    expect((await wk.server.tokens()).accessToken === before.accessToken, 'the tokens did not change').toBe(true)
    expect(await call('DELETE', '/api/notes')).toMatchObject({ code: 'ERR_STEP_UP_REQUIRED' })
    expect(await reauthenticate(ALICE.password)).toEqual({ ok: true })
    expect(await call('DELETE', '/api/notes')).toEqual({ status: 200 })
    expect(await wk.state()).toBe('authenticated')
    expect(await wk.events('logout')).toEqual([])
  })

  test('cookie mode (script tag): the re-authentication rotates the cookie and the vault adopts its CSRF token', async () => {
    await wk.server.post('/test/step-up', { maxAge: MAX_AGE_S })
    await wk.classicSignedIn()
    await addNote('/classic/api/notes', 'script-tag')
    await sleep(AGED_MS)
    expect(await call('DELETE', '/classic/api/notes', 'script-tag')).toEqual({
      code: 'ERR_STEP_UP_REQUIRED',
      maxAge: MAX_AGE_S,
    })
    const cookieBefore = (await wk.driver.manage().getCookie('__Host-sv_s'))?.value
    expect(await reauthenticate('not the password', 'script-tag')).toEqual({ ok: false, code: 'ERR_LOGIN_FAILED' })
    expect((await wk.driver.manage().getCookie('__Host-sv_s'))?.value === cookieBefore).toBe(true)
    expect(await reauthenticate(ALICE.password, 'script-tag')).toEqual({ ok: true })
    const cookieAfter = (await wk.driver.manage().getCookie('__Host-sv_s'))?.value
    expect(!!cookieAfter && cookieAfter !== cookieBefore, 'a new session cookie').toBe(true)
    expect(await call('DELETE', '/classic/api/notes', 'script-tag')).toEqual({ status: 200 })
  })
})

describe('WebKit: OAuth step-up', () => {
  const flow = useWebKitOAuth(wk, { stepUpMaxAge: MAX_AGE_S })
  const { boot, throughProvider } = flow
  const returnToUrl = () => `${flow.callbackUrl()}?after=step-up`

  test('max_age step-up upgrades the restored session in place and hands back returnTo', async () => {
    await wk.openHarness(flow.callbackUrl())
    expect(await boot()).toEqual({ state: 'anonymous' })
    await throughProvider({})
    expect(await boot()).toEqual({ state: 'anonymous' })
    expect(await wk.run(() => window.attempt(() => window.session.handleRedirectCallback()))).toEqual({
      ok: true,
      value: {},
    })
    await sleep(AGED_MS)
    const url = `${flow.oauth.resourceUrl}/api/sensitive`
    expect(await call('POST', url)).toEqual({ code: 'ERR_STEP_UP_REQUIRED', maxAge: MAX_AGE_S })
    expect(await wk.state()).toBe('authenticated')

    const steppedUpAt = Math.floor(Date.now() / 1000)
    await throughProvider({ max_age: String(MAX_AGE_S), returnTo: returnToUrl() })
    // persist: 'dpop': the callback page restores the session first, then upgrades it.
    expect(await boot()).toEqual({ state: 'authenticated' })
    expect(await wk.run(() => window.attempt(() => window.session.handleRedirectCallback()))).toEqual({
      ok: true,
      value: { returnTo: returnToUrl() },
    })
    expect(await wk.state()).toBe('authenticated')
    const authTime = (await wk.run(() => window.session.info.claims?.auth_time)) as number
    expect(authTime).toBeGreaterThanOrEqual(steppedUpAt)
    expect(await call('POST', url)).toEqual({ status: 200 })
    await wk.run(() => window.session.logout())
  })
})
