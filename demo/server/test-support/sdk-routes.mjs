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
const CHUNK = Buffer.alloc(64 * 1024, 0x61)
const stats = { opened: 0, open: 0, closed: 0 }

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

function endless({ req, res, url }) {
  track(req, res)
  if (url.searchParams.get('trickle') === '1') {
    const timer = setInterval(() => res.write(CHUNK), 50)
    return void res.on('close', () => clearInterval(timer))
  }
  const pump = () => {
    while (!res.destroyed && res.write(CHUNK));
    if (!res.destroyed) res.once('drain', pump)
  }
  res.on('close', () => res.off('drain', pump))
  pump()
}

function stall({ req, res }) {
  track(req, res)
}

/**
 * @param {ReturnType<import('../http/router.mjs').createRouter>} router
 */
export function addSdkTestSupportRoutes(router) {
  router.add('GET', '/test/endless', endless)
  router.add('GET', '/test/stall', stall)
  router.add('GET', '/test/endless-stats', ({ res }) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    res.end(JSON.stringify(stats))
  })
}
