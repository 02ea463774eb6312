import type { Page } from '@playwright/test'
import { PORT, SECOND_PORT } from '../../playwright.config.js'
import { expect, test } from '../support/fixtures.js'
import { state } from '../support/harness.js'
import { ORIGIN, SECOND_ORIGIN } from '../support/server.js'

type Outcome =
  | { ok: true; value: { status: number; url: string; redirected: boolean } }
  | { ok: false; error: { name: string; code?: string; message: string } }

/** `session.fetch(url, init)` in the page; the answer's status, or the error as data. */
async function attempt(
  page: Page,
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Outcome> {
  return page.evaluate(
    ([u, i]) =>
      window.attempt(async () => {
        const response: Response = await window.session.fetch(u, i)
        await response.arrayBuffer()
        return { status: response.status, url: response.url, redirected: response.redirected }
      }),
    [url, init] as const,
  ) as Promise<Outcome>
}

test('session.fetch to an origin outside trustedOrigins is refused before any request', async ({
  server,
  signedIn: page,
}) => {
  for (const method of ['GET', 'POST']) {
    const outcome = await attempt(
      page,
      `${SECOND_ORIGIN}/steal`,
      method === 'POST' ? { method, body: 'x' } : { method },
    )
    expect(outcome).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_UNTRUSTED_ORIGIN' } })
  }
  // A refused fetch does not end the session.
  expect(await state(page)).toBe('authenticated')
  expect(await server.secondOriginLog()).toEqual([])
})

test('tricky URLs that only look trusted are refused, with no request anywhere', async ({ server, signedIn: page }) => {
  const apiBefore = (await server.counters()).api

  // Valid URLs whose origin is not (exactly) a trusted one: ERR_UNTRUSTED_ORIGIN.
  const untrusted = [
    `//127.0.0.1:${SECOND_PORT}/protocol-relative`,
    `http://127.0.0.1:0${SECOND_PORT}/leading-zero-port`,
    `HTTP://127.0.0.1:${SECOND_PORT}/upper-case-scheme`,
    `http:\\\\127.0.0.1:${SECOND_PORT}\\backslashes`,
    `http://127.0.0.1.:${SECOND_PORT}/trailing-dot`,
    `http://2130706433:${SECOND_PORT}/decimal-ip`,
    `http://[::ffff:127.0.0.1]:${SECOND_PORT}/mapped-ipv6`,
    // Same server, but not the same origin string as the trusted one.
    `http://localhost:${PORT}/api/echo`,
    `https://127.0.0.1:${PORT}/api/echo`,
  ]
  for (const url of untrusted) {
    const outcome = await attempt(page, url)
    expect(outcome, url).toMatchObject({ ok: false, error: { code: 'ERR_UNTRUSTED_ORIGIN' } })
  }

  // Not even valid request URLs (userinfo, a port past 65535 made by suffixing the
  // trusted one): refused like fetch() refuses them, with a TypeError (or ERR_UNTRUSTED_ORIGIN).
  const invalid = [
    `http://127.0.0.1:${PORT}@127.0.0.1:${SECOND_PORT}/userinfo`,
    `http://user:pass@127.0.0.1:${PORT}/api/echo`,
    `http://127.0.0.1:${PORT}0/port-prefix`,
    `http://127.0.0.1:${PORT}${SECOND_PORT}/port-prefix`,
  ]
  for (const url of invalid) {
    const outcome = await attempt(page, url)
    expect(outcome.ok, url).toBe(false)
    const error = outcome.ok ? undefined : outcome.error
    expect(
      error?.name === 'TypeError' || error?.code === 'ERR_UNTRUSTED_ORIGIN',
      `${url}: ${JSON.stringify(error)}`,
    ).toBe(true)
  }

  expect(await server.secondOriginLog()).toEqual([])
  expect((await server.counters()).api).toBe(apiBefore)
  expect(await state(page)).toBe('authenticated')
})

for (const status of [302, 307]) {
  test(`a trusted route that redirects (${status}) to the second origin never delivers Authorization there`, async ({
    server,
    signedIn: page,
  }) => {
    const target = `${SECOND_ORIGIN}/landing`
    const url = `/test/redirect?to=${encodeURIComponent(target)}&status=${status}`
    const outcomes = [
      await attempt(page, url),
      await attempt(page, url, { method: 'POST', body: 'payload', headers: { 'Content-Type': 'text/plain' } }),
      await attempt(page, url, {
        method: 'PUT',
        body: '{}',
        headers: { 'Content-Type': 'application/json', 'X-Custom': '1' },
      }),
    ]
    const log = await server.secondOriginLog()
    // Whatever the fetches answered, no request (preflights included) carried the token.
    test.info().annotations.push({ type: 'redirect outcome', description: JSON.stringify({ outcomes, log }) })
    for (const entry of log) expect(entry, JSON.stringify(entry)).toMatchObject({ hasAuthorization: false })
    // Sanity: the vault did send the trusted hop with the token (the redirect route is on the trusted origin).
    const echo = await page.evaluate(async () => {
      const response: Response = await window.session.fetch('/api/echo')
      return (await response.json()).headers.authorization
    })
    expect(echo).toBe(true)
  })
}

test("session.fetch cannot call the vault's own auth endpoints", async ({ server, signedIn: page }) => {
  const before = await server.counters()
  for (const [url, init] of [
    ['/auth/refresh', {}],
    [
      '/auth/refresh',
      {
        method: 'POST',
        body: 'grant_type=refresh_token',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
    ],
    [`${ORIGIN}/auth/refresh?x=1`, { method: 'POST' }],
    [
      '/auth/login',
      {
        method: 'POST',
        body: '{"username":"alice","password":"correct horse"}',
        headers: { 'Content-Type': 'application/json' },
      },
    ],
    ['/auth/logout', { method: 'POST' }],
    ['/auth/keepalive', { method: 'POST' }],
  ] as const) {
    const outcome = await attempt(page, url, init)
    expect(outcome, `${url} ${JSON.stringify(init)}`).toMatchObject({
      ok: false,
      error: { name: 'SessionVaultError', code: 'ERR_RESERVED_URL' },
    })
  }
  const after = await server.counters()
  expect(after.refresh).toBe(before.refresh)
  expect(after.login).toBe(before.login)
  expect(after.logout).toBe(before.logout)
  expect(after.keepalive).toBe(before.keepalive)
  expect(await state(page)).toBe('authenticated')
})

test('lenient-router variants of the auth endpoints and a redirect into one are refused too', async ({
  server,
  signedIn: page,
}) => {
  const before = await server.counters()
  for (const url of ['/AUTH/refresh', '/auth/refresh/', '/auth//refresh', '/auth/%72efresh']) {
    const outcome = await attempt(page, url, { method: 'POST' })
    expect(outcome, url).toMatchObject({ ok: false, error: { code: 'ERR_RESERVED_URL' } })
  }
  // An open redirect on a trusted origin that lands on the refresh endpoint: the browser follows the
  // 307, but the redirected request lacks the vault's Session-Vault header, so the server refuses it
  // (and even a token answer would never reach the page).
  const redirect = `/test/redirect?status=307&to=${encodeURIComponent(`${ORIGIN}/auth/refresh`)}`
  const outcome = await attempt(page, redirect, {
    method: 'POST',
    body: 'grant_type=refresh_token',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  })
  expect(outcome).toMatchObject({ ok: false, error: { code: 'ERR_RESERVED_URL' } })
  expect(JSON.stringify(outcome)).not.toContain('access_token')
  expect((await server.counters()).refresh).toBe(before.refresh)
  expect(await state(page)).toBe('authenticated')
})
