import { expect, test } from '../support/fixtures.js'
import { events, login, openHarness, startSession, state, TOKEN_AUTH } from '../support/harness.js'
import { ALICE } from '../support/server.js'

const MALFORMED = [
  'no-access-token',
  'blank-access-token',
  'wrong-token-type',
  'bad-expires-in',
  'not-json',
  'json-array',
  'json-null',
]

for (const kind of MALFORMED) {
  test(`malformed login answer (${kind}): ERR_TOKEN_RESPONSE, still anonymous`, async ({ page }) => {
    await openHarness(page)
    const auth = { ...TOKEN_AUTH, loginUrl: `/test/login-malformed?kind=${kind}` }
    expect(await startSession(page, { auth })).toEqual({ state: 'anonymous' })
    const result = await login(page, ALICE)
    expect(result).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_TOKEN_RESPONSE' } })
    // The message names what is wrong, never a value from the answer.
    expect(result.error?.message).not.toContain('xxxxxxxx')
    expect(result.error?.message).not.toContain('<html')
    expect(await state(page)).toBe('anonymous')
    expect(await page.evaluate(() => window.session.info)).toEqual({ authenticated: false })
    expect(await events(page, 'authenticated')).toEqual([])
    expect(await events(page, 'logout')).toEqual([])
    // Nothing was kept: a fetch goes out without a token.
    const echo = await page.evaluate(async () => await (await window.session.fetch('/api/echo')).status)
    expect(echo).toBe(401)
  })
}

test('wrong password: ERR_LOGIN_FAILED, still anonymous, and a retry with the right one works', async ({
  server,
  page,
}) => {
  await openHarness(page)
  expect(await startSession(page)).toEqual({ state: 'anonymous' })
  const result = await login(page, { username: 'alice', password: 'wrong horse' })
  expect(result).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_LOGIN_FAILED' } })
  expect(result.error?.message).not.toContain('wrong horse')
  expect(await state(page)).toBe('anonymous')
  expect(await events(page, 'authenticated')).toEqual([])
  expect((await server.counters()).loginFailed).toBe(1)

  expect(await login(page, ALICE)).toEqual({ ok: true })
  expect(await state(page)).toBe('authenticated')
  expect(await events(page, 'authenticated')).toHaveLength(1)
})

test('login while signed in: ERR_INVALID_STATE, the session stays as it was', async ({ server, page }) => {
  await openHarness(page)
  expect(await startSession(page)).toEqual({ state: 'anonymous' })
  expect(await login(page, ALICE)).toEqual({ ok: true })
  const { accessToken } = await server.tokens()
  const again = await login(page, { username: 'bob', password: 'battery staple' })
  expect(again).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_INVALID_STATE' } })
  expect(await state(page)).toBe('authenticated')
  expect((await server.counters()).login).toBe(1)
  expect((await server.tokens()).accessToken).toBe(accessToken)
  const me = await page.evaluate(async () => (await (await window.session.fetch('/api/me')).json()).username)
  expect(me).toBe('alice')
})
