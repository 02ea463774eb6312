// Issue 15: session.fetch responses stream from the vault to the page. The scenarios both runners
// call (Playwright: e2e/sdk/streaming.spec.ts; WebKit, over the MessagePort fallback:
// e2e/webkit/streaming.wd.test.ts), against /test/drip and /api/bytes of the reference server.
import { createHash } from 'node:crypto'
import { type Expect, poll, type Tab } from './tab.js'

interface Drip {
  arrived: boolean
  sent: number
  finished: boolean
  abandoned: boolean
}

const dripStats = (tab: Tab, id: string) => tab.server.get<Drip>(`/test/drip-stats?id=${id}`)
const dripUrl = (id: string, chunks: number, every: number) => `/test/drip?id=${id}&chunks=${chunks}&every=${every}`

/** Chunks reach the page as the server writes them: the first is read while the server has more to send. */
export async function chunksAsTheyArrive(tab: Tab, expect: Expect): Promise<void> {
  const id = `drip-${Date.now()}`
  expect(await tab.step('openStream', dripUrl(id, 6, 250))).toEqual({ status: 200 })
  const first = await tab.step<{ text?: string }>('readChunk')
  expect(first.text).toMatch(/^0:/)
  const midway = await dripStats(tab, id)
  expect(midway.finished, 'the first chunk arrived before the server finished').toBe(false)
  expect(midway.sent).toBeLessThan(6)
  const rest = await tab.step<{ texts: string[]; done?: true }>('readRest')
  expect(rest.done, JSON.stringify(rest)).toBe(true)
  expect(rest.texts.map(text => text.split(':')[0])).toEqual(['1', '2', '3', '4', '5'])
  expect((await dripStats(tab, id)).finished).toBe(true)
  expect(await tab.state()).toBe('authenticated')
}

/** Aborting the signal, or cancelling the reader, mid-stream stops the server's stream (it sees the client go). */
export async function stopMidStream(tab: Tab, expect: Expect, how: 'abortStream' | 'cancelStream'): Promise<void> {
  const id = `${how}-${Date.now()}`
  await tab.step('openStream', dripUrl(id, 200, 100))
  expect((await tab.step<{ text?: string }>('readChunk')).text).toMatch(/^0:/)
  await tab.step(how)
  if (how === 'abortStream') expect(await tab.step('readChunk')).toMatchObject({ error: { name: 'AbortError' } })
  const stats = await poll(
    () => dripStats(tab, id),
    s => s.abandoned,
    5_000,
  )
  expect(stats.abandoned, `${how}: the server saw the stream dropped`).toBe(true)
  expect(stats.sent).toBeLessThan(200)
  expect(await tab.state()).toBe('authenticated')
  expect((await tab.vaultFetch('/api/me')).value?.status).toBe(200)
}

/** A logout mid-stream ends the stream in the page (ERR_SESSION_ENDED) and at the server. */
export async function logoutEndsStream(tab: Tab, expect: Expect, logout: () => Promise<unknown>): Promise<void> {
  const id = `logout-${Date.now()}`
  await tab.step('openStream', dripUrl(id, 200, 100))
  expect((await tab.step<{ text?: string }>('readChunk')).text).toMatch(/^0:/)
  await logout()
  const after = await tab.step<{ texts: string[]; error?: { code?: string } }>('readRest')
  expect(after.error?.code, JSON.stringify(after)).toBe('ERR_SESSION_ENDED')
  const stats = await poll(
    () => dripStats(tab, id),
    s => s.abandoned,
    5_000,
  )
  expect(stats.abandoned, 'the server saw the stream dropped at logout').toBe(true)
}

/**
 * The vault crashes mid-stream (`crash` makes the hooks vault throw): the page's stream fails
 * with ERR_VAULT_CRASHED instead of hanging, the session ends (fail closed), the server sees
 * the request dropped.
 */
export async function crashEndsStream(tab: Tab, expect: Expect, crash: () => Promise<unknown>): Promise<void> {
  const id = `crash-${Date.now()}`
  await tab.step('openStream', dripUrl(id, 200, 100))
  expect((await tab.step<{ text?: string }>('readChunk')).text).toMatch(/^0:/)
  await crash()
  const after = await tab.step<{ texts: string[]; error?: { code?: string } }>('readRest')
  expect(after.error?.code, JSON.stringify(after)).toBe('ERR_VAULT_CRASHED')
  expect(after.texts.length, 'the stream stopped').toBeLessThan(199)
  expect(
    await poll(
      () => tab.state(),
      s => s === 'ended',
      5_000,
    ),
  ).toBe('ended')
  const stats = await poll(
    () => dripStats(tab, id),
    s => s.abandoned,
    5_000,
  )
  expect(stats.abandoned, 'the server saw the stream dropped when the vault died').toBe(true)
}

/** Byte i of /api/bytes is i % 251: the digest the page must compute. */
export function expectedDigest(n: number): string {
  const hash = createHash('sha256')
  const block = Buffer.from(Array.from({ length: 251 * 256 }, (_, i) => i % 251))
  for (let sent = 0; sent < n; sent += block.length) hash.update(block.subarray(0, Math.min(block.length, n - sent)))
  return hash.digest('hex')
}

/** A large download through the vault arrives whole and intact. */
export async function largeDownload(tab: Tab, expect: Expect, n = 50_000_000): Promise<void> {
  const got = await tab.step<{ length: number; sha256: string }>('digestOf', `/api/bytes?n=${n}`)
  expect(got).toEqual({ length: n, sha256: expectedDigest(n) })
}
