// Refresh in WebKit: single-flight under 50 concurrent fetches, and a refresh
// the server refuses (reuse of a stolen refresh token) ending the session.
import { describe, expect, test } from 'vitest'
import { useWebKit } from './driver.js'

const wk = useWebKit()

const fifty = () => wk.run(() => window.svScenarios.concurrentFetches('/api/me', 50)) as Promise<(number | string)[]>

describe('WebKit: refresh', () => {
  test('access token expired on the server: 50 concurrent fetches, exactly one refresh, all succeed', async () => {
    await wk.signedIn()
    const { accessToken: first } = await wk.server.tokens()
    const before = await wk.server.counters()
    await wk.server.post('/test/expire-access')
    // Every refresh waits a little at the proxy, so all 50 fetches are waiting on it: a second refresh would show.
    const undelay = wk.proxy.delay(/^\/auth\/refresh/, 400)
    try {
      expect(await fifty()).toEqual(Array(50).fill(200))
    } finally {
      undelay()
    }
    const after = await wk.server.counters()
    expect(after.refresh - before.refresh).toBe(1)
    expect(after.refreshReuse).toBe(0)
    // Each fetch reached the API once with the dead token; the 401s were replayed once with the new one.
    expect(after.api - before.api).toBeGreaterThanOrEqual(51)
    expect(after.api - before.api).toBeLessThanOrEqual(100)
    expect((await wk.server.tokens()).accessToken !== first, 'a new access token was issued').toBe(true)
    expect(await wk.state()).toBe('authenticated')
    expect(await wk.events('logout')).toEqual([])
  })

  test('access token expired on the client clock: 50 concurrent fetches, one refresh before sending', async () => {
    await wk.server.reset({ accessTokenTtl: 1.5 })
    await wk.signedIn()
    const expiresAt = (await wk.run(() => window.session.info.expiresAt)) as number
    const before = await wk.server.counters()
    // Within 30 s of expiry the vault refreshes first: wait until the token is really past its lifetime.
    await wk.waitInPage((at: number) => Date.now() > at + 100, [expiresAt], 5_000)
    const undelay = wk.proxy.delay(/^\/auth\/refresh/, 400)
    try {
      expect(await fifty()).toEqual(Array(50).fill(200))
    } finally {
      undelay()
    }
    const after = await wk.server.counters()
    expect(after.refresh - before.refresh).toBe(1)
    expect(after.api - before.api, 'no request went out with the expired token').toBe(50)
    expect((await wk.run(() => window.session.info.expiresAt)) as number).toBeGreaterThan(expiresAt)
  })

  test('a refresh the server refuses (stolen refresh token spent first: reuse detected) ends the session: revoked', async () => {
    // A short access lifetime: the vault's next refresh is driven by expiry.
    await wk.server.reset({ accessTokenTtl: 1.5 })
    await wk.signedIn()
    expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)

    // The attacker spends the refresh token first, from outside the browser; the server rotates it.
    const { refreshToken: stolen } = await wk.server.tokens()
    const theft = await fetch(new URL('/auth/refresh', wk.server.base), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Session-Vault': '1',
        Cookie: `__Host-sv_rt=${stolen}`,
      },
      body: 'grant_type=refresh_token',
    })
    expect(theft.status).toBe(200)
    expect((await wk.server.counters()).refreshReuse).toBe(0)

    // The vault's next refresh presents the spent token from its cookie: reuse, the family is revoked.
    const expiresAt = (await wk.run(() => window.session.info.expiresAt)) as number
    await wk.waitInPage((at: number) => Date.now() > at + 100, [expiresAt], 5_000)
    const next = await wk.vaultFetch('/api/me')
    expect(next.ok && next.value?.status === 200, 'the fetch after a refused refresh does not succeed').toBe(false)
    expect((await wk.waitForEvents('logout', 5_000)).map(e => e.payload.reason)).toEqual(['revoked'])
    expect(await wk.state()).toBe('ended')
    expect((await wk.server.counters()).refreshReuse).toBe(1)
    expect(await wk.vaultFetch('/api/me')).toMatchObject({
      ok: false,
      error: { name: 'SessionVaultError', code: 'ERR_SESSION_ENDED' },
    })
  })
})
