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
  router.add('GET', '/test/endless-stats', ({ res }) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    res.end(JSON.stringify(stats))
  })
}
