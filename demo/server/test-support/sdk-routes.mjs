/**
 * Test-support routes for the SDK's bounded bodies and request timeouts
 * (`maxBodyBytes`, `requestTimeout`): answers that never end. Test mode only,
 * like the other /test/* routes.
 *
 * - `GET /test/endless`: 200, no Content-Length, bytes for as long as the
 *   client reads them (`?trickle=1`: 64 KiB every 50 ms).
 * - `GET /test/stall`: 200 with its headers, then nothing.
 * - `GET /test/endless-stats`: `{ opened, open, closed }` of those two, so a
 *   test can tell that the client gave up (closed the connection).
 * - `GET /test/drip?id=&chunks=&every=&size=`: a streamed answer, one chunk of
 *   `size` bytes (default 16) every `every` ms (default 100), `chunks` of them
 *   (default 10); chunk i starts with `i:`. `GET /test/drip-stats?id=` says
 *   `{ arrived, sent, finished, abandoned }` of that id: how many chunks went out
 *   and whether the client went away before the last one.
 * - `GET /test/sse?n=&every=`: a `text/event-stream` of `n` events (default
 *   10), one every `every` ms (default 2), each `id: i` and
 *   `data: {"i":i,"t":ms}` where `t` is the server's clock when it wrote the
 *   event (`performance.timeOrigin + performance.now()`, fractional ms): the
 *   bench's per-event delay is the page's clock at arrival minus `t`.
 */
/** What the endless answers send: 64 KiB of 'a'. */
const CHUNK = Buffer.alloc(64 * 1024, 0x61)
/** How often `?trickle=1` sends a chunk. */
const TRICKLE_INTERVAL_MS = 50
const stats = { opened: 0, open: 0, closed: 0 }

/** @typedef {import('../reference/app.mjs').RouteContext} RouteContext */

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function track(req, res) {
  stats.opened++
  stats.open++
  res.on('close', () => {
    stats.open--
    stats.closed++
  })
  req.resume()
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' })
  res.flushHeaders()
}

/** @param {RouteContext} ctx */
function endless({ req, res, url }) {
  track(req, res)
  if (url.searchParams.get('trickle') === '1') {
    const timer = setInterval(() => res.write(CHUNK), TRICKLE_INTERVAL_MS)
    return void res.on('close', () => clearInterval(timer))
  }
  const pump = () => {
    while (!res.destroyed && res.write(CHUNK));
    if (!res.destroyed) res.once('drain', pump)
  }
  res.on('close', () => res.off('drain', pump))
  pump()
}

/** @type {Map<string, { arrived: boolean, sent: number, finished: boolean, abandoned: boolean }>} */
const drips = new Map()
const MAX_DRIPS = 1_000

/**
 * @param {URLSearchParams} params
 * @param {string} name
 * @param {number} fallback
 * @param {number} max
 */
function bounded(params, name, fallback, max) {
  const value = Number(params.get(name) ?? fallback)
  return Number.isSafeInteger(value) && value >= 0 && value <= max ? value : fallback
}

/** @param {RouteContext} ctx */
function drip({ req, res, url }) {
  req.resume()
  const id = url.searchParams.get('id') ?? ''
  const chunks = bounded(url.searchParams, 'chunks', 10, 10_000)
  const every = bounded(url.searchParams, 'every', 100, 10_000)
  const size = Math.max(8, bounded(url.searchParams, 'size', 16, 1024 * 1024))
  if (drips.size >= MAX_DRIPS) drips.clear()
  const record = { arrived: true, sent: 0, finished: false, abandoned: false }
  drips.set(id, record)
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' })
  res.flushHeaders()
  const send = () => {
    if (record.sent === chunks) {
      record.finished = true
      return void res.end()
    }
    res.write(Buffer.from(`${record.sent}:`.padEnd(size, '.')))
    record.sent++
    timer = setTimeout(send, every)
  }
  let timer = setTimeout(send, every)
  res.on('close', () => {
    clearTimeout(timer)
    if (!record.finished) record.abandoned = true
  })
}

/** @param {RouteContext} ctx */
function sse({ req, res, url }) {
  req.resume()
  const n = bounded(url.searchParams, 'n', 10, 100_000)
  const every = bounded(url.searchParams, 'every', 2, 10_000)
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
  res.flushHeaders()
  let i = 0
  const send = () => {
    if (i === n) return void res.end()
    res.write(`id: ${i}\ndata: {"i":${i},"t":${performance.timeOrigin + performance.now()}}\n\n`)
    i++
    timer = setTimeout(send, every)
  }
  let timer = setTimeout(send, every)
  res.on('close', () => clearTimeout(timer))
}

/** @param {RouteContext} ctx */
function stall({ req, res }) {
  track(req, res)
}

/**
 * @param {import('../http/router.mjs').Router<import('../reference/app.mjs').RouteContext>} router
 */
export function addSdkTestSupportRoutes(router) {
  router.add('GET', '/test/endless', endless)
  router.add('GET', '/test/stall', stall)
  router.add('GET', '/test/drip', drip)
  router.add('GET', '/test/sse', sse)
  router.add('GET', '/test/drip-stats', ({ res, url }) => {
    const record = drips.get(url.searchParams.get('id') ?? '')
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    res.end(JSON.stringify(record ?? { arrived: false, sent: 0, finished: false, abandoned: false }))
  })
  router.add('GET', '/test/endless-stats', ({ res }) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    res.end(JSON.stringify(stats))
  })
}
