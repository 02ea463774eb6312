// Cross-tab logout in WebKit: three tabs of one session (the second and third
// restore it at start-up through the refresh cookie), logout in one ends all
// three within a second, and the server hears exactly one logout call.
import { describe, expect, test } from 'vitest'
import { type SessionEventRecord, useWebKit } from './driver.js'

const wk = useWebKit()

describe('WebKit: cross-tab logout', () => {
  test('logout in one of three tabs ends the session in all of them, with one server call', async () => {
    await wk.signedIn()
    const first = await wk.driver.getWindowHandle()
    const tabs = [first]
    for (let i = 0; i < 2; i++) {
      tabs.push(await wk.newTab())
      expect(await wk.startSession(), `tab ${tabs.length} restored the session at start-up`).toEqual({
        state: 'authenticated',
      })
    }
    for (const tab of tabs) {
      await wk.driver.switchTo().window(tab)
      expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)
    }

    await wk.driver.switchTo().window(first)
    const startedAt = (await wk.run(() => Date.now())) as number
    expect(await wk.run(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
    const own = await wk.events('logout')
    expect(own.map(e => e.payload)).toEqual([{ reason: 'user', serverConfirmed: true }])

    const stamps = [own[0]!.at]
    for (const [i, tab] of tabs.slice(1).entries()) {
      await wk.driver.switchTo().window(tab)
      const logouts: SessionEventRecord[] = await wk.waitForEvents('logout', 5_000)
      expect(
        logouts.map(e => e.payload),
        `tab ${i + 2}`,
      ).toEqual([{ reason: 'remote', serverConfirmed: false }])
      stamps.push(logouts[0]!.at)
    }
    for (const [i, at] of stamps.entries())
      expect(at - startedAt, `tab ${i + 1}: logout after ${at - startedAt} ms`).toBeLessThanOrEqual(1_000)

    // Give a straggler a moment to (wrongly) call the server too.
    await new Promise(resolve => setTimeout(resolve, 300))
    const counters = await wk.server.counters()
    expect(counters.logout).toBe(1)
    for (const [i, tab] of tabs.entries()) {
      await wk.driver.switchTo().window(tab)
      expect(await wk.state(), `tab ${i + 1}`).toBe('ended')
      expect(await wk.vaultFetch('/api/me'), `tab ${i + 1}`).toMatchObject({
        ok: false,
        error: { code: 'ERR_SESSION_ENDED' },
      })
    }
    expect((await wk.server.counters()).api, 'no tab reached the API after the logout').toBe(counters.api)
  })
})
