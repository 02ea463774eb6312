// Untrusted origins in WebKit: ERR_UNTRUSTED_ORIGIN and no request made
// (the second origin records every request it receives).
import { describe, expect, test } from 'vitest'
import { useWebKit } from './driver.js'

const wk = useWebKit()

describe('WebKit: trusted origins', () => {
  test('session.fetch to an origin outside trustedOrigins is refused before any request', async () => {
    await wk.signedIn()
    const apiBefore = (await wk.server.counters()).api
    const port = new URL(wk.secondOrigin).port
    const own = new URL(wk.origin).port
    const urls = [
      `${wk.secondOrigin}/steal`,
      `//127.0.0.1:${port}/protocol-relative`,
      `HTTPS://127.0.0.1:${port}/upper-case-scheme`,
      `https://127.0.0.1.:${port}/trailing-dot`,
      `https://2130706433:${port}/decimal-ip`,
      // The same server, but not the same origin string as the trusted one.
      `https://localhost:${own}/api/echo`,
      `http://127.0.0.1:${own}/api/echo`,
    ]
    for (const url of urls) {
      for (const init of [{}, { method: 'POST', body: 'x' }]) {
        const outcome = await wk.vaultFetch(url, init)
        expect(outcome, `${url} ${JSON.stringify(init)}`).toMatchObject({
          ok: false,
          error: { name: 'SessionVaultError', code: 'ERR_UNTRUSTED_ORIGIN' },
        })
      }
    }
    // Nothing reached the second origin, nor the API; the session goes on.
    expect(await wk.server.secondOriginLog()).toEqual([])
    expect((await wk.server.counters()).api).toBe(apiBefore)
    expect(await wk.state()).toBe('authenticated')
    expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)
  })

  test('a trusted route that redirects to the second origin never delivers Authorization there', async () => {
    await wk.signedIn()
    const url = `/test/redirect?to=${encodeURIComponent(`${wk.secondOrigin}/landing`)}&status=307`
    await wk.vaultFetch(url)
    await wk.vaultFetch(url, { method: 'POST', body: 'payload', headers: { 'Content-Type': 'text/plain' } })
    for (const entry of await wk.server.secondOriginLog())
      expect(entry, JSON.stringify(entry)).toMatchObject({ hasAuthorization: false })
    // Sanity: on the trusted origin the token does go along.
    const echo = await wk.vaultFetch('/api/echo')
    expect(JSON.parse(echo.value!.text).headers.authorization).toBe(true)
  })
})
