// Issue 15: Server-Sent Events through the vault (session-vault/sse's `subscribe`) against the
// reference server's /api/events, the same scenarios in every engine (Playwright: e2e/sdk/sse.spec.ts;
// WebKit: e2e/webkit/sse.wd.test.ts). The server's side of each stream is read from its lifecycle
// log (/test/events): `event_stream_opened` (resumedAfter) and `event_stream_closed` (reason, sent).
import { type Expect, poll, type Tab } from './tab.js'
import type { SseView } from './window.js'

/** Milliseconds between the feed's events in these tests. */
const EVERY = 100
const FEED = `/api/events?every=${EVERY}`
/** The cookie-mode feed of the /classic/ site. */
export const CLASSIC_FEED = `/classic/api/events?every=${EVERY}`
/** The server's `retry:` (demo/server/reference/event-feed.mjs): how long the helper waits before reconnecting. */
const SERVER_RETRY_MS = 1000

interface StreamLog {
  event: string
  sid?: string
  reason?: string
  sent?: number
  resumedAfter?: number | null
}

const view = (tab: Tab) => tab.step<SseView>('sseView')
/**
 * The server's log of this test's feed: its streams and the session's refreshes, by the hashed
 * session id of the first stream opened since the reset (a stream of the previous test may still
 * be closing, with another session).
 */
async function serverLog(tab: Tab): Promise<StreamLog[]> {
  const entries = (await tab.server.get<StreamLog[]>('/test/events')).filter(
    entry => entry.event.startsWith('event_stream_') || entry.event === 'refresh',
  )
  const sid = entries.find(entry => entry.event === 'event_stream_opened')?.sid
  return entries.filter(entry => entry.sid === sid)
}
const opened = (log: StreamLog[]) => log.filter(entry => entry.event === 'event_stream_opened')
const closed = (log: StreamLog[]) => log.filter(entry => entry.event === 'event_stream_closed')

/** Waits until the page's feed has at least `count` events. */
async function untilEvents(tab: Tab, expect: Expect, count: number, timeout = 10_000): Promise<SseView> {
  const got = await poll(
    () => view(tab),
    v => v.events.length >= count || v.settled !== null,
    timeout,
  )
  expect(got.events.length, JSON.stringify(got)).toBeGreaterThanOrEqual(count)
  return got
}

/** The events are numbered 1, 2, 3, ... in order, each once, and each carries its own id. */
function expectUnbroken(expect: Expect, events: SseView['events']): void {
  expect(
    events.map(event => event.n),
    'every event once, in order',
  ).toEqual(events.map((_, i) => i + 1))
  for (const event of events) {
    expect(event.id).toBe(String(event.n))
    expect(event.type).toBe('tick')
  }
}

/** The helper stops, and the server saw its connection go (no further stream opened after a wait past `retry`). */
async function expectStoppedForGood(tab: Tab, expect: Expect, streams: number): Promise<void> {
  const settled = await poll(
    () => view(tab),
    v => v.settled !== null,
    5_000,
  )
  expect(settled.settled, JSON.stringify(settled)).toEqual({ resolved: true })
  const log = await poll(
    () => serverLog(tab),
    l => closed(l).length >= streams,
    5_000,
  )
  expect(closed(log).at(-1)?.reason, JSON.stringify(log)).toBe('client_gone')
  const count = settled.events.length
  await new Promise(resolve => setTimeout(resolve, SERVER_RETRY_MS + 500))
  expect(opened(await serverLog(tab)), 'no reconnect').toHaveLength(streams)
  expect((await view(tab)).events).toHaveLength(count)
}

/** Events arrive as the server sends them, in order, over one connection (`feed`: the cookie-mode one, say). */
export async function eventsInOrder(tab: Tab, expect: Expect, feed = FEED): Promise<void> {
  await tab.step('sseStart', feed)
  const got = await untilEvents(tab, expect, 5)
  expectUnbroken(expect, got.events)
  expect(got.opens).toBe(1)
  expect(got.errors).toEqual([])
  const log = await serverLog(tab)
  expect(opened(log)).toHaveLength(1)
  expect(opened(log)[0]?.resumedAfter).toBe(null)
  await tab.step('sseAbort')
}

/**
 * The access token expires mid-stream: the server ends the stream, the helper reconnects after
 * the server's `retry:` with Last-Event-ID, the vault answers the reconnect's 401 with a refresh
 * and replays it with the new token; the feed goes on where it stopped, nothing lost or repeated.
 */
export async function survivesTokenRefresh(tab: Tab, expect: Expect): Promise<void> {
  await tab.step('sseStart', FEED)
  await untilEvents(tab, expect, 3)
  const before = await tab.server.counters()
  const tokenBefore = (await tab.server.tokens()).accessToken
  await tab.server.post('/test/expire-access')
  const log = await poll(
    () => serverLog(tab),
    l => opened(l).length >= 2,
    10_000,
  )
  expect(opened(log), JSON.stringify(log)).toHaveLength(2)
  const [first, second] = opened(log)
  const [end] = closed(log)
  expect(end?.reason, 'the server ended the stream for the expired token').toBe('credential_expired')
  const order = log.map(entry => entry.event)
  expect(order.slice(0, 4), 'closed, then a refresh, then reopened').toEqual([
    'event_stream_opened',
    'event_stream_closed',
    'refresh',
    'event_stream_opened',
  ])
  expect(second?.resumedAfter, 'Last-Event-ID was the last event of the first stream').toBe(end?.sent)
  expect(second?.sid, 'the same session').toBe(first?.sid)
  expect((await tab.server.counters()).refresh).toBe(before.refresh + 1)
  // Every token issued before /test/expire-access fails, so the reopened stream runs on the refreshed one.
  expect((await tab.server.tokens()).accessToken).not.toBe(tokenBefore)

  const got = await untilEvents(tab, expect, (end?.sent ?? 0) + 5)
  expectUnbroken(expect, got.events)
  expect(got.opens).toBe(2)
  expect(got.errors, 'a clean end of stream is not an error').toEqual([])
  expect(await tab.state()).toBe('authenticated')
  await tab.step('sseAbort')
}

/**
 * The real thing, no test hook: access tokens that live `ttl` seconds (the server reset with
 * `accessTokenTtl`). Each stream ends when its token expires; each reconnect goes out after a
 * refresh (the vault refreshes a token this close to its expiry before using it) and resumes
 * where the last stream stopped, so the page sees one unbroken feed across three streams.
 */
export async function survivesTokenExpiry(tab: Tab, expect: Expect, ttl: number): Promise<void> {
  await tab.step('sseStart', FEED)
  const log = await poll(
    () => serverLog(tab),
    l => opened(l).length >= 3,
    (ttl + 2) * 3 * 1_000,
  )
  expect(opened(log).length, JSON.stringify(log)).toBeGreaterThanOrEqual(3)
  const ends = closed(log)
  expect(ends.slice(0, 2).map(end => end.reason)).toEqual(['credential_expired', 'credential_expired'])
  let sent = 0
  for (const [i, start] of opened(log).slice(0, 3).entries()) {
    expect(start.resumedAfter ?? 0, `stream ${i + 1} resumes after every event sent before it`).toBe(sent)
    if (i > 0) {
      const between = log.slice(log.indexOf(ends[i - 1]!), log.indexOf(start)).map(entry => entry.event)
      expect(between, `a refresh before stream ${i + 1}`).toContain('refresh')
    }
    sent += ends[i]?.sent ?? 0
  }
  const got = await untilEvents(tab, expect, sent + 2)
  expectUnbroken(expect, got.events)
  expect(got.errors).toEqual([])
  expect(await tab.state()).toBe('authenticated')
  await tab.step('sseAbort')
}

/** Aborting the signal ends the subscription: the server sees the disconnect, nothing reconnects. */
export async function abortStops(tab: Tab, expect: Expect): Promise<void> {
  await tab.step('sseStart', FEED)
  await untilEvents(tab, expect, 2)
  await tab.step('sseAbort')
  await expectStoppedForGood(tab, expect, 1)
  expect(await tab.state()).toBe('authenticated')
}

/** A logout mid-stream ends the subscription (resolved, not an error) and nothing reconnects. */
export async function logoutStops(tab: Tab, expect: Expect, logout: () => Promise<unknown>): Promise<void> {
  await tab.step('sseStart', FEED)
  await untilEvents(tab, expect, 2)
  await logout()
  await expectStoppedForGood(tab, expect, 1)
}

/**
 * A logout while the helper waits to reconnect (the server ended the stream for an expired
 * token): it stops at once, with no reconnect and no refresh.
 */
export async function logoutWhileWaitingStops(tab: Tab, expect: Expect, logout: () => Promise<unknown>): Promise<void> {
  await tab.step('sseStart', FEED)
  await untilEvents(tab, expect, 2)
  await tab.server.post('/test/expire-access')
  const log = await poll(
    () => serverLog(tab),
    l => closed(l).length >= 1,
    5_000,
  )
  expect(closed(log)[0]?.reason).toBe('credential_expired')
  const refreshes = (await tab.server.counters()).refresh
  await logout()
  const settled = await poll(
    () => view(tab),
    v => v.settled !== null,
    SERVER_RETRY_MS / 2,
  )
  expect(settled.settled, 'settled before the reconnect was due').toEqual({ resolved: true })
  await new Promise(resolve => setTimeout(resolve, SERVER_RETRY_MS + 500))
  expect(opened(await serverLog(tab)), 'no reconnect').toHaveLength(1)
  expect((await tab.server.counters()).refresh).toBe(refreshes)
}
