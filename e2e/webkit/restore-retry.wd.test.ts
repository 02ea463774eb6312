// Issue 11, item 2 in WebKit: a tab started while the server is unreachable says "not known yet"
// (info.restoring), retries, and signs in by itself when the server is back (Chromium and Firefox:
// e2e/sdk/restore-retry.spec.ts).
import { describe, expect, test } from 'vitest'
import { PROMPT_MS } from '../support/timeouts.js'
import { useWebKit } from './driver.js'

/** The first retries come after about 1 and 2 s (±20 %): a server back after 1.5 s is seen within this. */
const BACKOFF_WINDOW_MS = 2_400 + 1_200 + PROMPT_MS
/** How long the server stays down after the tab started. */
const DOWN_MS = 1_500

const wk = useWebKit()

describe('WebKit: restore while the server is unreachable', () => {
  test('restoring, then signed in by itself when the server is back', async () => {
    await wk.signedIn()
    await wk.server.post('/test/outage', { on: true })
    await wk.go('/e2e/support/page.html')
    await wk.openHarness()
    expect(await wk.startSession()).toEqual({ state: 'anonymous' })
    expect(await wk.run(() => window.session.info)).toEqual({ authenticated: false, restoring: true })
    const [restoring] = await wk.waitForEvents('restoring', PROMPT_MS)
    expect(restoring!.payload).toMatchObject({ active: true })

    await new Promise(resolve => setTimeout(resolve, DOWN_MS))
    await wk.server.post('/test/outage', { on: false })
    await wk.waitForEvents('authenticated', BACKOFF_WINDOW_MS)
    expect(await wk.state()).toBe('authenticated')
    expect((await wk.events('restoring')).at(-1)?.payload).toEqual({ active: false })
    expect((await wk.vaultFetch('/api/me')).ok).toBe(true)
  })

  test('login() during the retries stops them', async () => {
    await wk.signedIn()
    await wk.server.post('/test/outage', { on: true })
    await wk.go('/e2e/support/page.html')
    await wk.openHarness()
    await wk.startSession()
    expect(await wk.run(() => window.session.info.restoring)).toBe(true)
    await wk.server.post('/test/outage', { on: false })
    expect(await wk.login()).toEqual({ ok: true })
    expect((await wk.events('restoring')).at(-1)?.payload).toEqual({ active: false })
  })
})
