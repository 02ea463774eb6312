import { describe, expect, it, vi } from 'vitest'
import { isSessionVaultError, SessionVaultError } from '../index.js'
import type { ServerSentEvent } from './parser.js'
import { type EventSession, subscribe } from './subscribe.js'

type Answer = Response | Error | (() => Response)

/** A stream that sends `chunks`, then ends (or errors with `error`, or stays open when `open`). */
function body(chunks: string[], end: { error?: Error; open?: boolean } = {}): ReadableStream<Uint8Array> {
  const encoded = chunks.map(chunk => new TextEncoder().encode(chunk))
  return new ReadableStream({
    pull(controller) {
      const next = encoded.shift()
      if (next) return controller.enqueue(next)
      if (end.error) controller.error(end.error)
      else if (!end.open) controller.close()
      else return new Promise(() => {})
    },
  })
}
const stream = (chunks: string[], end?: { error?: Error; open?: boolean }, type = 'text/event-stream') =>
  new Response(body(chunks, end), { headers: { 'Content-Type': type } })

/** A session whose `fetch` gives `answers` in turn (then 204), recording each request's headers. */
function fakeSession(answers: Answer[]) {
  const requests: { headers: Headers; signal?: AbortSignal | null }[] = []
  const listeners = new Set<() => void>()
  const session = {
    state: 'authenticated' as EventSession['state'],
    fetch: vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({ headers: new Headers(init?.headers), signal: init?.signal })
      const next = answers.shift() ?? new Response(null, { status: 204 })
      if (next instanceof Error) throw next
      return typeof next === 'function' ? next() : next
    }),
    on: (_name: string, handler: () => void) => {
      listeners.add(handler)
      return () => listeners.delete(handler)
    },
    logout() {
      session.state = 'ended'
      for (const handler of listeners) handler()
    },
    listeners,
  }
  return { session, requests, asSession: session as unknown as EventSession }
}

const collect = () => {
  const events: ServerSentEvent[] = []
  return { events, onEvent: (event: ServerSentEvent) => void events.push(event) }
}

describe('subscribe', () => {
  it('reads events in order, reconnects with Last-Event-ID after the stream ends, stops at a 204', async () => {
    const { session, requests, asSession } = fakeSession([
      stream(['retry: 5\nid: 1\ndata: a\n\n', 'id: 2\ndata: b\n\ndata: dropped, no blank line']),
      stream(['id: 3\nevent: tick\ndata: c\n\n']),
    ])
    const { events, onEvent } = collect()
    const opened: number[] = []
    await subscribe(asSession, '/api/events', { onEvent, onOpen: response => opened.push(response.status) })
    expect(events).toEqual([
      { type: 'message', data: 'a', lastEventId: '1' },
      { type: 'message', data: 'b', lastEventId: '2' },
      { type: 'tick', data: 'c', lastEventId: '3' },
    ])
    expect(opened).toEqual([200, 200])
    expect(session.fetch).toHaveBeenCalledTimes(3)
    expect(requests.map(r => r.headers.get('Accept'))).toEqual(Array(3).fill('text/event-stream'))
    expect(requests.map(r => r.headers.get('Last-Event-ID'))).toEqual([null, '2', '3'])
    expect(session.listeners.size, 'the logout listener is removed').toBe(0)
  })

  it('sends the lastEventId option and extra headers on the first request', async () => {
    const { requests, asSession } = fakeSession([])
    await subscribe(asSession, '/api/events', { ...collect(), lastEventId: '41', headers: { 'X-Feed': 'news' } })
    expect(requests[0]?.headers.get('Last-Event-ID')).toBe('41')
    expect(requests[0]?.headers.get('X-Feed')).toBe('news')
  })

  it("the stream's retry: overrides the option", async () => {
    const { session, asSession } = fakeSession([stream(['retry: 1\n\n']), stream([])])
    const started = Date.now()
    await subscribe(asSession, '/api/events', { ...collect(), retry: 60_000 })
    expect(session.fetch).toHaveBeenCalledTimes(3)
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('takes retry as a duration; anything else is ERR_BAD_OPTIONS, before any request', async () => {
    const { session, asSession } = fakeSession([stream([])])
    const started = Date.now()
    await subscribe(asSession, '/api/events', { ...collect(), retry: '20ms' })
    expect(session.fetch).toHaveBeenCalledTimes(2)
    expect(Date.now() - started).toBeLessThan(2_000)
    for (const retry of [-1, Number.NaN, 'soon'] as never[]) {
      const error = await subscribe(asSession, '/api/events', { ...collect(), retry }).catch(e => e)
      expect(isSessionVaultError(error, 'ERR_BAD_OPTIONS'), String(retry)).toBe(true)
      expect(error.message).toMatch(/^retry /)
    }
    expect(session.fetch).toHaveBeenCalledTimes(2)
  })

  it('waits 3000 ms by default', async () => {
    vi.useFakeTimers()
    try {
      const { session, asSession } = fakeSession([stream([])])
      const done = subscribe(asSession, '/api/events', collect())
      await vi.advanceTimersByTimeAsync(2_990)
      expect(session.fetch).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(20)
      await done
      expect(session.fetch).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a retry: past the longest timer delay waits that longest delay, not no time at all', async () => {
    vi.useFakeTimers()
    try {
      const { session, asSession } = fakeSession([stream(['retry: 99999999999\n\n'])])
      const done = subscribe(asSession, '/api/events', collect())
      await vi.advanceTimersByTimeAsync(60_000)
      expect(session.fetch).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(2 ** 31)
      await done
      expect(session.fetch).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('reconnects after a network error or a body that fails, telling onError', async () => {
    const failure = new TypeError('Failed to fetch')
    const { session, requests, asSession } = fakeSession([
      failure,
      stream(['id: 1\ndata: a\n\ndata: half'], { error: new TypeError('network') }),
      new SessionVaultError('ERR_TIMEOUT', 'too slow'),
      stream(['data: b\n\n']),
    ])
    const { events, onEvent } = collect()
    const errors: unknown[] = []
    await subscribe(asSession, '/api/events', { onEvent, onError: error => errors.push(error), retry: 1 })
    expect(events.map(event => event.data)).toEqual(['a', 'b'])
    expect(errors).toHaveLength(3)
    expect(errors[0]).toBe(failure)
    expect(isSessionVaultError(errors[2], 'ERR_TIMEOUT')).toBe(true)
    expect(session.fetch).toHaveBeenCalledTimes(5)
    expect(requests.map(r => r.headers.get('Last-Event-ID'))).toEqual([null, null, '1', '1', '1'])
  })

  it('an onEvent that throws ends that connection like a network error; it resumes after that event', async () => {
    const { requests, asSession } = fakeSession([
      stream(['id: 1\ndata: a\n\nid: 2\ndata: b\n\n']),
      stream(['id: 2\ndata: b\n\n']),
    ])
    const seen: string[] = []
    const errors: unknown[] = []
    const bug = new Error('app bug')
    await subscribe(asSession, '/api/events', {
      onEvent: ({ data }) => {
        seen.push(data)
        if (seen.length === 1) throw bug
      },
      onError: error => errors.push(error),
      retry: 1,
    })
    expect(errors).toEqual([bug])
    expect(seen).toEqual(['a', 'b'])
    expect(requests[1]?.headers.get('Last-Event-ID')).toBe('1')
  })

  it.each([
    ['a 401', () => new Response('{}', { status: 401, headers: { 'Content-Type': 'application/json' } }), '401'],
    ['a 200 of another type', () => stream(['data: a\n\n'], {}, 'text/plain'), '200 text/plain'],
    ['a 200 with no type', () => new Response(body([]), { headers: { 'Content-Type': '' } }), '200'],
  ])('rejects ERR_EVENT_STREAM without reconnecting on %s', async (_, answer, message) => {
    const { session, asSession } = fakeSession([answer])
    const error = await subscribe(asSession, '/api/events', { ...collect(), retry: 1 }).catch(e => e)
    expect(isSessionVaultError(error, 'ERR_EVENT_STREAM'), String(error)).toBe(true)
    expect(error.message).toContain(message)
    expect(session.fetch).toHaveBeenCalledTimes(1)
  })

  it('the connection a throwing handler ended is cancelled, not left open beside the reconnect', async () => {
    let cancelled = 0
    const open = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('id: 1\ndata: a\n\n'))
      },
      cancel: () => void cancelled++,
    })
    const { asSession } = fakeSession([new Response(open, { headers: { 'Content-Type': 'text/event-stream' } })])
    await subscribe(asSession, '/api/events', {
      onEvent: () => {
        throw new Error('app bug')
      },
      retry: 1,
    })
    expect(cancelled).toBe(1)
  })

  it('sends an id that is not Latin-1 as its UTF-8 bytes (as EventSource does), and keeps reconnecting', async () => {
    const { requests, asSession } = fakeSession([stream(['id: 事件-1\ndata: a\n\n']), stream([])])
    await subscribe(asSession, '/api/events', { ...collect(), retry: 1 })
    const utf8 = Array.from(new TextEncoder().encode('事件-1'), byte => String.fromCharCode(byte)).join('')
    expect(requests.map(request => request.headers.get('Last-Event-ID'))).toEqual([null, utf8, utf8])
  })

  it('headers that are not valid request headers are ERR_BAD_OPTIONS, before any request', async () => {
    const { session, asSession } = fakeSession([])
    const error = await subscribe(asSession, '/api/events', { ...collect(), headers: { 'bad name': 'x' } }).catch(
      e => e,
    )
    expect(isSessionVaultError(error, 'ERR_BAD_OPTIONS'), String(error)).toBe(true)
    expect(session.fetch).not.toHaveBeenCalled()
  })

  it('accepts a charset parameter on text/event-stream', async () => {
    const { asSession } = fakeSession([stream(['data: a\n\n'], {}, 'Text/Event-Stream; charset=utf-8')])
    const { events, onEvent } = collect()
    await subscribe(asSession, '/api/events', { onEvent, retry: 1 })
    expect(events).toHaveLength(1)
  })

  it('rejects with a request the vault refused, without reconnecting', async () => {
    const { session, asSession } = fakeSession([new SessionVaultError('ERR_UNTRUSTED_ORIGIN', 'no')])
    const error = await subscribe(asSession, 'https://evil.example/', collect()).catch(e => e)
    expect(isSessionVaultError(error, 'ERR_UNTRUSTED_ORIGIN')).toBe(true)
    expect(session.fetch).toHaveBeenCalledTimes(1)
  })

  it('an abort mid-stream aborts the request and resolves, no reconnect', async () => {
    const controller = new AbortController()
    const { session, requests, asSession } = fakeSession([
      () => {
        const signal = requests.at(-1)?.signal
        const source = body(['data: a\n\n'], { open: true })
        const reader = source.getReader()
        const aborting = new ReadableStream<Uint8Array>({
          async pull(c) {
            signal?.throwIfAborted()
            const next = reader.read()
            const aborted = new Promise<never>((_, reject) =>
              signal?.addEventListener('abort', () => reject(signal.reason)),
            )
            const { done, value } = await Promise.race([next, aborted])
            if (done) c.close()
            else c.enqueue(value)
          },
        })
        return new Response(aborting, { headers: { 'Content-Type': 'text/event-stream' } })
      },
    ])
    const done = subscribe(asSession, '/api/events', {
      onEvent: () => controller.abort(),
      signal: controller.signal,
      retry: 1,
    })
    await expect(done).resolves.toBeUndefined()
    expect(requests[0]?.signal?.aborted).toBe(true)
    expect(session.fetch).toHaveBeenCalledTimes(1)
  })

  it('an abort while waiting to reconnect resolves at once', async () => {
    const controller = new AbortController()
    const { session, asSession } = fakeSession([stream([])])
    const done = subscribe(asSession, '/api/events', { ...collect(), signal: controller.signal, retry: 60_000 })
    await vi.waitFor(() => expect(session.fetch).toHaveBeenCalledTimes(1))
    await new Promise(resolve => setTimeout(resolve, 20))
    controller.abort()
    await done
    expect(session.fetch).toHaveBeenCalledTimes(1)
  })

  it('a logout while waiting to reconnect resolves at once, with no reconnect', async () => {
    const { session, asSession } = fakeSession([stream([]), stream([])])
    const done = subscribe(asSession, '/api/events', { ...collect(), retry: 60_000 })
    await vi.waitFor(() => expect(session.fetch).toHaveBeenCalledTimes(1))
    await new Promise(resolve => setTimeout(resolve, 20))
    session.logout()
    await done
    expect(session.fetch).toHaveBeenCalledTimes(1)
  })

  it('ERR_SESSION_ENDED (a logout mid-stream, or before a request) resolves, no reconnect', async () => {
    const ended = new SessionVaultError('ERR_SESSION_ENDED', 'The session has ended')
    const mid = fakeSession([stream(['data: a\n\n'], { error: ended })])
    await expect(subscribe(mid.asSession, '/api/events', { ...collect(), retry: 1 })).resolves.toBeUndefined()
    expect(mid.session.fetch).toHaveBeenCalledTimes(1)
    const before = fakeSession([ended])
    await expect(subscribe(before.asSession, '/api/events', { ...collect(), retry: 1 })).resolves.toBeUndefined()
    expect(before.session.fetch).toHaveBeenCalledTimes(1)
  })

  it('an ended session or an aborted signal makes no request at all', async () => {
    const ended = fakeSession([])
    ended.session.state = 'ended'
    await subscribe(ended.asSession, '/api/events', collect())
    expect(ended.session.fetch).not.toHaveBeenCalled()
    const aborted = fakeSession([])
    await subscribe(aborted.asSession, '/api/events', { ...collect(), signal: AbortSignal.abort() })
    expect(aborted.session.fetch).not.toHaveBeenCalled()
  })
})
