// Clear-Site-Data and the local wipe in WebKit: after a confirmed logout the
// browser keeps nothing of the origin (cookies, HttpOnly ones too, Web
// Storage, IndexedDB, Cache Storage); with the server down (no header at all)
// `logout.clear` is the SDK's own wipe.
import { describe, expect, test } from 'vitest'
import { poll, useWebKit } from './driver.js'

const wk = useWebKit()

const IDLE = { idle: { timeout: '15m', warnBefore: '1m' } }

interface BrowserStorage {
  localStorage: string[]
  sessionStorage: string[]
  databases: string[]
  caches: string[]
  documentCookie: string
}

const storage = () => wk.run(() => window.svScenarios.browserStorage()) as Promise<BrowserStorage>
const vaultRecords = () =>
  wk.run(
    async () => ((await window.svScenarios.storeEntries('session-vault', 'state')) ?? []).length,
  ) as Promise<number>

async function seeded(options: Record<string, unknown>): Promise<void> {
  await wk.signedIn({ ...IDLE, ...options })
  await wk.run(() => window.svScenarios.seedAppStorage())
  // An HttpOnly app cookie that script could never clear.
  await wk.driver.manage().addCookie({ name: 'app_session_hint', value: 'x', httpOnly: true, path: '/' })
  expect(await poll(vaultRecords, n => n === 1), 'the vault saved its idle state').toBe(1)
  expect(await storage()).toEqual({
    localStorage: ['app-profile'],
    sessionStorage: ['app-draft'],
    databases: ['app-db', 'session-vault'],
    caches: ['app-cache'],
    documentCookie: 'app_pref=dark',
  })
  expect((await wk.cookies()).map(c => c.name).sort()).toEqual(['__Host-sv_rt', 'app_pref', 'app_session_hint'])
}

describe('WebKit: Clear-Site-Data and the local wipe', () => {
  test('after logout the browser keeps nothing of the origin, and the old tokens are dead at the server', async () => {
    await seeded({})
    const { accessToken } = await wk.server.tokens()
    const bearer = { Authorization: `Bearer ${accessToken}` }
    const me = () => fetch(new URL('/api/me', wk.server.base), { headers: bearer }).then(r => r.status)
    expect(await me()).toBe(200)

    expect(await wk.run(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
    expect((await wk.events('logout')).map(e => e.payload)).toEqual([{ reason: 'user', serverConfirmed: true }])

    const after = await storage()
    expect(await wk.cookies(), 'every cookie, HttpOnly ones included').toEqual([])
    expect(after).toEqual({ localStorage: [], sessionStorage: [], databases: [], caches: [], documentCookie: '' })
    // A fresh document of the origin sees nothing either.
    await wk.go('/e2e/webkit/blank.html')
    expect(await storage()).toEqual(after)
    expect(await me()).toBe(401)
  })

  test("without Clear-Site-Data (server down), logout.clear is the SDK's own wipe", async () => {
    await seeded({ logout: { clear: { localStorage: true, indexedDB: ['app-db'] } } })
    await wk.server.post('/test/outage', { on: true })
    try {
      expect(await wk.run(() => window.attempt(() => window.session.logout()))).toEqual({ ok: true })
    } finally {
      await wk.server.post('/test/outage', { on: false })
    }
    expect((await wk.events('logout')).map(e => e.payload)).toEqual([{ reason: 'user', serverConfirmed: false }])
    const after = await storage()
    expect(after.localStorage, 'logout.clear.localStorage: true').toEqual([])
    expect(after.databases, 'app-db deleted by logout.clear.indexedDB').not.toContain('app-db')
    // The vault deleted its idle snapshot; all it may keep is the non-secret marker of the unconfirmed logout.
    const kept = ((await wk.run(() => window.svScenarios.storeEntries('session-vault', 'state'))) ?? []) as {
      key: string
      value: unknown
    }[]
    expect(
      kept.filter(entry => !entry.key.endsWith(':logout-pending')),
      JSON.stringify(kept),
    ).toEqual([])
    // Only what logout.clear names is cleared (Clear-Site-Data never ran).
    expect(after.sessionStorage).toEqual(['app-draft'])
    expect(after.caches).toEqual(['app-cache'])
    expect(await wk.vaultFetch('/api/me')).toMatchObject({ ok: false, error: { code: 'ERR_SESSION_ENDED' } })
  })
})
