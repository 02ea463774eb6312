/**
 * The demo's live feed as a Server-Sent Events stream (text/event-stream):
 * one `tick` event every `every` ms, numbered by `id:`, resuming after the
 * client's `Last-Event-ID`. Before each event it checks that the credential
 * the stream was opened with still authenticates; once it does not (the
 * access token expired, the session ended) the stream ends, so the client
 * reconnects with a fresh one (session-vault/sse does, through the vault).
 */

/** What the stream tells the client to wait before reconnecting, ms (its `retry:` field). */
export const FEED_RETRY_MS = 1000
/** Milliseconds between events: the default, and the range `?every=` may choose from. */
export const FEED_EVERY = Object.freeze({ fallback: 1000, min: 50, max: 60_000 })
/** Largest event number a `Last-Event-ID` may resume after. */
const MAX_EVENT_ID = 1e12

/**
 * The number of the first event to send: one after a valid `Last-Event-ID`, else 1.
 * @param {import('node:http').IncomingMessage} req
 */
export function firstEventNumber(req) {
  const raw = req.headers['last-event-id']
  const last = typeof raw === 'string' && /^\d{1,13}$/.test(raw) ? Number(raw) : 0
  return last < MAX_EVENT_ID ? last + 1 : 1
}

/**
 * The `?every=` of a feed request, in its range, or the default.
 * @param {URL} url
 */
export function feedInterval(url) {
  const raw = url.searchParams.get('every')
  const every = raw !== null && /^\d{1,6}$/.test(raw) ? Number(raw) : FEED_EVERY.fallback
  return Math.min(FEED_EVERY.max, Math.max(FEED_EVERY.min, every))
}

/**
 * Streams the feed on `res` until the client goes or `stillValid` says no.
 * The lifecycle log gets `event_stream_opened` (`resumedAfter`: the
 * Last-Event-ID it resumed after, or null) and `event_stream_closed`
 * (`reason`: 'credential_expired' or 'client_gone'; `sent`: events sent).
 * @param {{
 *   req: import('node:http').IncomingMessage,
 *   res: import('node:http').ServerResponse,
 *   url: URL,
 *   log: import('./lifecycle-log.mjs').LifecycleLog,
 *   session: { sessionId: string, userId: string, mode?: string },
 *   stillValid: () => Promise<boolean>,
 * }} opts stillValid: whether the request's credential still authenticates (never counted as activity)
 */
export function streamFeed({ req, res, url, log, session, stillValid }) {
  req.resume()
  const every = feedInterval(url)
  let next = firstEventNumber(req)
  let sent = 0
  let closed = false
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' })
  // HEAD (the router serves it with GET routes): the headers, and no stream to keep open.
  if (req.method === 'HEAD') return void res.end()
  log.event('event_stream_opened', session, { resumedAfter: next > 1 ? next - 1 : null })
  res.write(`retry: ${FEED_RETRY_MS}\n: session-vault demo feed\n\n`)

  /** @param {'credential_expired' | 'client_gone'} reason */
  const close = reason => {
    if (closed) return
    closed = true
    clearTimeout(timer)
    log.event('event_stream_closed', session, { reason, sent })
    res.end()
  }
  const tick = async () => {
    const valid = await stillValid().catch(() => false)
    if (closed) return
    if (!valid) return close('credential_expired')
    res.write(`id: ${next}\nevent: tick\ndata: ${JSON.stringify({ n: next, at: Date.now() })}\n\n`)
    next++
    sent++
    timer = setTimeout(tick, every)
  }
  let timer = setTimeout(tick, every)
  res.on('close', () => close('client_gone'))
}
