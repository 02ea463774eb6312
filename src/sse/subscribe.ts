/**
 * An authenticated event stream over `session.fetch`: what `EventSource` does
 * (reconnect after `retry` ms with `Last-Event-ID`), with the vault's token.
 * Each connection is a new `session.fetch`, so a reconnect after the server
 * closed the stream for an expired token goes out with the refreshed one.
 */
import { type Duration, isSessionVaultError, parseDuration, type Session, SessionVaultError } from '../index.js'
import { createEventStreamParser, type ServerSentEvent } from './parser.js'

/** Options of {@link subscribe}. */
export interface SubscribeOptions {
  /**
   * Every event the stream dispatches, in order, whatever its `type`. If it
   * throws, that connection ends as on a network error (`onError`, then a
   * reconnect that resumes after this event).
   */
  onEvent: (event: ServerSentEvent) => void
  /**
   * Each time a connection is open (status 200, `text/event-stream`), before
   * its first event: the answer's status and headers. Leave its body alone:
   * the subscription reads it.
   */
  onOpen?: (response: Response) => void
  /**
   * A connection failed or ended with an error (network, `ERR_TIMEOUT`,
   * `ERR_BODY_TOO_LARGE`); a reconnect follows after `retry` ms. A stream the
   * server ended cleanly reconnects too, without calling this.
   */
  onError?: (error: unknown) => void
  /** Stops the subscription for good: the open request is aborted (the server sees the disconnect), no reconnect. */
  signal?: AbortSignal
  /**
   * Where to resume: sent as `Last-Event-ID` on the first request. Later
   * requests send the last `id:` the stream gave.
   * @default '' (no header)
   */
  lastEventId?: string
  /**
   * The wait between a connection's end and the next one (milliseconds, or
   * a string such as `'5s'`), until the stream sets its own with a `retry:`
   * field. Anything else rejects at once with `ERR_BAD_OPTIONS`.
   * @default 3000
   */
  retry?: Duration
  /** More request headers (`Accept` and `Last-Event-ID` are the subscription's own). */
  headers?: HeadersInit
}

/** The `fetch` and events of a session, all `subscribe` uses. */
export type EventSession = Pick<Session, 'fetch' | 'on' | 'state'>

/** The longest `setTimeout` delay (a larger `retry:` would fire at once). */
const MAX_DELAY = 2 ** 31 - 1
/** Errors after which a reconnect can help; any other SessionVaultError ends the subscription. */
const TRANSIENT = /^ERR_(NETWORK|TIMEOUT|BODY_TOO_LARGE)$/

const utf8Bytes = (text: string) =>
  Array.from(new TextEncoder().encode(text), byte => String.fromCharCode(byte)).join('')

/**
 * Reads the event stream at `url` through `session.fetch` (`Accept:
 * text/event-stream`), reconnecting after the stream ends or a network error,
 * with `Last-Event-ID`, until it is stopped.
 *
 * Rejects at once with `ERR_BAD_OPTIONS` for a `retry` that is not a duration, or `headers` that are not valid.
 * Resolves when it stops for good: `signal` aborted, the session ended
 * (logout in any tab, expiry, revocation: no reconnect), or the server
 * answered 204 (the standard's "do not reconnect"). Rejects with a
 * `SessionVaultError`, without reconnecting, when an answer is not an event
 * stream (`ERR_EVENT_STREAM`: another status, such as a 401 the vault could
 * not cure with a refresh, or another `Content-Type`), or `session.fetch`
 * refused the request (`ERR_UNTRUSTED_ORIGIN`, `ERR_STEP_UP_REQUIRED`, ...).
 *
 * @example
 * const stop = new AbortController()
 * subscribe(session, '/api/events', {
 *   onEvent: ({ type, data, lastEventId }) => console.log(type, data, lastEventId),
 *   signal: stop.signal,
 * }).catch(error => console.error(error.code))
 * // later: stop.abort()
 */
export async function subscribe(session: EventSession, url: string | URL, options: SubscribeOptions): Promise<void> {
  const { signal, onOpen, onError } = options
  let lastEventId = options.lastEventId ?? ''
  let retry = parseDuration(options.retry ?? 3000, 'retry')
  let extra: Headers
  try {
    extra = new Headers(options.headers)
  } catch (cause) {
    throw new SessionVaultError('ERR_BAD_OPTIONS', 'headers must be valid request headers', { cause })
  }
  let wake = () => {}
  // The session's state is 'ended' from the start of a logout (this tab's or another's), before its event.
  const stopped = () => session.state === 'ended' || !!signal?.aborted
  const onStop = () => wake()
  const off = session.on('logout', onStop)
  signal?.addEventListener('abort', onStop)
  try {
    while (!stopped()) {
      const parser = createEventStreamParser(options.onEvent, lastEventId)
      try {
        const headers = new Headers(extra)
        headers.set('Accept', 'text/event-stream')
        // A header value is bytes: the id's UTF-8, as EventSource sends it.
        if (lastEventId) headers.set('Last-Event-ID', utf8Bytes(lastEventId))
        const response = await session.fetch(url, { headers, signal })
        if (response.status === 204) return
        const type = response.headers.get('Content-Type') ?? ''
        if (response.status !== 200 || !/^text\/event-stream\s*(;|$)/i.test(type)) {
          void response.body?.cancel()
          throw new SessionVaultError('ERR_EVENT_STREAM', `Not text/event-stream: ${response.status} ${type}`)
        }
        onOpen?.(response)
        const reader = response.body!.getReader()
        try {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            parser.feed(value)
          }
        } finally {
          // Ended by a handler that threw, say: the request must not stay open beside the reconnect.
          reader.cancel().catch(() => {})
        }
      } catch (error) {
        if (stopped() || isSessionVaultError(error, 'ERR_SESSION_ENDED')) return
        if (isSessionVaultError(error) && !TRANSIENT.test(error.code)) throw error
        onError?.(error)
      }
      lastEventId = parser.lastEventId
      retry = parser.retry ?? retry
      // Woken early by an abort or a logout (the timer's later call is a no-op).
      if (!stopped()) await new Promise<void>(done => setTimeout((wake = done), Math.min(retry, MAX_DELAY)))
    }
  } finally {
    off()
    signal?.removeEventListener('abort', onStop)
  }
}
