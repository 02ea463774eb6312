// The reference server's live feed: GET /api/events (token mode) and GET /classic/api/events
// (cookie mode), read with session-vault/sse's own parser. A stream ends once the credential it
// was opened with stops authenticating; Last-Event-ID resumes the numbering; it is not activity.
import { describe, expect, it } from 'vitest'
import { createEventStreamParser, type ServerSentEvent } from '../../src/sse/parser.js'
import {
  classicLogin,
  events,
  type Server,
  sameOrigin,
  testJson,
  tokenLogin,
  useReferenceServer,
} from './test-client.js'

const server = useReferenceServer()

/** An open feed: its answer, the events parsed so far, and whether the server ended it. */
interface Feed {
  response: Response
  events: ServerSentEvent[]
  retry: () => number | undefined
  ended: Promise<void>
  close: () => void
}

async function openFeed(
  target: Server,
  { path = '/api/events?every=50', headers = {} }: { path?: string; headers?: Record<string, string> } = {},
): Promise<Feed> {
  const controller = new AbortController()
  const response = await fetch(`${target.origin}${path}`, { headers, signal: controller.signal })
  const got: ServerSentEvent[] = []
  const parser = createEventStreamParser(event => got.push(event))
  const ended = (async () => {
    if (response.status !== 200 || !response.body) return
    const reader = response.body.getReader()
    for (;;) {
      const chunk = await reader.read().catch(() => null)
      if (!chunk || chunk.done) return
      parser.feed(chunk.value)
    }
  })()
  return { response, events: got, retry: () => parser.retry, ended, close: () => controller.abort() }
}

async function until(check: () => boolean, timeout = 5_000): Promise<void> {
  const end = Date.now() + timeout
  while (!check() && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 20))
  expect(check()).toBe(true)
}

const bearer = async () => {
  const { access } = await tokenLogin(server)
  return { Authorization: `Bearer ${access}` }
}
const feedLog = async () => (await events(server)).filter(entry => String(entry.event).startsWith('event_stream_'))

describe('GET /api/events (token mode)', () => {
  it('refuses a request without a live bearer token, as the other APIs do', async () => {
    const feed = await openFeed(server)
    expect(feed.response.status).toBe(401)
    expect(feed.response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    await feed.response.arrayBuffer()
  })

  it('streams tick events numbered by id, with retry: and no-store', async () => {
    const feed = await openFeed(server, { headers: await bearer() })
    expect(feed.response.status).toBe(200)
    expect(feed.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(feed.response.headers.get('cache-control')).toContain('no-store')
    await until(() => feed.events.length >= 3)
    feed.close()
    expect(feed.retry()).toBe(1000)
    expect(feed.events.slice(0, 3).map(({ type, lastEventId }) => [type, lastEventId])).toEqual([
      ['tick', '1'],
      ['tick', '2'],
      ['tick', '3'],
    ])
    const data = JSON.parse(feed.events[0]?.data ?? '{}')
    expect(data.n).toBe(1)
    expect(typeof data.at).toBe('number')
  })

  it('answers HEAD with the headers and no stream', async () => {
    const response = await fetch(`${server.origin}/api/events`, { method: 'HEAD', headers: await bearer() })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    // (The previous test's stream may still log its close: only openings count here.)
    expect((await feedLog()).filter(entry => entry.event === 'event_stream_opened')).toEqual([])
  })

  it('resumes after a valid Last-Event-ID; ignores one that is not a number', async () => {
    const headers = await bearer()
    const resumed = await openFeed(server, { headers: { ...headers, 'Last-Event-ID': '41' } })
    const fresh = await openFeed(server, { headers: { ...headers, 'Last-Event-ID': 'x; drop table' } })
    await until(() => resumed.events.length >= 1 && fresh.events.length >= 1)
    resumed.close()
    fresh.close()
    expect(resumed.events[0]?.lastEventId).toBe('42')
    expect(fresh.events[0]?.lastEventId).toBe('1')
    const opened = (await feedLog()).filter(entry => entry.event === 'event_stream_opened')
    expect(opened.map(entry => entry.resumedAfter).sort()).toEqual([41, null])
  })

  it('ends the stream once its access token expires, and logs why', async () => {
    const feed = await openFeed(server, { headers: await bearer() })
    await until(() => feed.events.length >= 2)
    await testJson(server, '/test/expire-access', { method: 'POST' })
    await feed.ended
    const count = feed.events.length
    const closed = (await feedLog()).find(
      entry => entry.event === 'event_stream_closed' && entry.reason === 'credential_expired',
    )
    expect(closed).toMatchObject({ reason: 'credential_expired', sent: count })
    expect(JSON.stringify(closed)).not.toMatch(/Bearer|access/)
  })

  it('ends the stream at logout', async () => {
    const headers = await bearer()
    const feed = await openFeed(server, { headers })
    await until(() => feed.events.length >= 1)
    const logout = await fetch(`${server.origin}/auth/logout`, {
      method: 'POST',
      headers: { ...headers, ...sameOrigin(server.origin) },
    })
    expect(logout.status).toBe(200)
    await feed.ended
  })

  it('logs the client going away', async () => {
    const feed = await openFeed(server, { headers: await bearer() })
    await until(() => feed.events.length >= 1)
    feed.close()
    let log: Record<string, unknown>[] = []
    await until(() => {
      void feedLog().then(entries => (log = entries))
      return log.some(entry => entry.event === 'event_stream_closed')
    })
    // The previous test's stream ended with its session; this one's by the client.
    expect(log.filter(entry => entry.event === 'event_stream_closed').map(entry => entry.reason)).toEqual([
      'client_gone',
    ])
  })

  it('is not activity: the session idle deadline does not move', async () => {
    const headers = await bearer()
    const status = async () =>
      (
        await testJson<{ idleExpiresAt: number }>(server, '/auth/status', {
          method: 'POST',
          headers: { ...headers, ...sameOrigin(server.origin) },
        })
      ).idleExpiresAt
    const before = await status()
    await new Promise(resolve => setTimeout(resolve, 50))
    const feed = await openFeed(server, { headers })
    await until(() => feed.events.length >= 2)
    feed.close()
    expect(await status()).toBe(before)
  })
})

describe('GET /classic/api/events (cookie mode)', () => {
  it('refuses a request without a session cookie', async () => {
    const feed = await openFeed(server, { path: '/classic/api/events?every=50' })
    expect(feed.response.status).toBe(401)
    await feed.response.arrayBuffer()
  })

  it('streams for a live session cookie and ends with the session', async () => {
    const { session } = await classicLogin(server)
    const feed = await openFeed(server, {
      path: '/classic/api/events?every=50',
      headers: { Cookie: `__Host-sv_s=${session}` },
    })
    expect(feed.response.status).toBe(200)
    await until(() => feed.events.length >= 2)
    expect(feed.events[1]?.lastEventId).toBe('2')
    await testJson(server, '/test/revoke-all', { method: 'POST' })
    await feed.ended
    const closed = (await feedLog()).find(
      entry => entry.event === 'event_stream_closed' && entry.reason === 'credential_expired',
    )
    expect(closed).toMatchObject({ reason: 'credential_expired', mode: 'cookie' })
  })
})
