import { sendWebResponse } from '../../../dist/server/index.js'
import { HttpError, ResponseAnswer, sendJson } from './http-util.mjs'
import { applyBaseHeaders, applyNoStore } from './security-headers.mjs'

/** How long a client may take to send its request headers. */
const HEADERS_TIMEOUT_MS = 30_000

/**
 * What a middleware sees of a request before it is routed.
 * @typedef {{ req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL, path: string }} RequestInfo
 */

/**
 * Runs before routing; returns true when it has dealt with the request (nothing else runs).
 * @typedef {(info: RequestInfo) => boolean | undefined} Middleware
 */

/**
 * Whether a path is `prefix` or below it.
 * @param {string} path
 * @param {string} prefix e.g. '/api'
 */
export function isUnder(path, prefix) {
  return path === prefix || path.startsWith(`${prefix}/`)
}

/** @param {string} target the request target, e.g. '/api/notes?x=1' */
function parseTarget(target) {
  try {
    return new URL(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`)
  } catch {
    return null
  }
}

/**
 * The request handler of a `node:http` server: the headers every answer
 * carries, then the middleware, `Cache-Control: no-store` under the `noStore`
 * prefixes, then the route; errors become JSON answers (`HttpError`), the
 * session library's ready answers (`ResponseAnswer`) are sent as they are,
 * anything else is a 500 without details.
 * @param {{
 *   router: ReturnType<typeof import('./router.mjs').createRouter>,
 *   context: Record<string, unknown>,
 *   noStore?: string[],
 *   middleware?: Middleware[],
 * }} opts context: what every route handler gets besides the request (e.g. `{ state }`)
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>}
 */
export function createRequestHandler({ router, context, noStore = [], middleware = [] }) {
  return async (req, res) => {
    applyBaseHeaders(res)
    const url = parseTarget(req.url ?? '')
    if (!url) return sendJson(res, 400, { error: 'invalid_request' })
    const path = url.pathname
    for (const step of middleware) if (step({ req, res, url, path })) return
    if (noStore.some(prefix => isUnder(path, prefix))) applyNoStore(res)
    try {
      const { handler, params } = router.match(req.method ?? 'GET', path)
      await handler({ ...context, req, res, params, url })
    } catch (error) {
      if (res.headersSent) return void res.destroy()
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.code }, error.headers)
      if (error instanceof ResponseAnswer) return sendWebResponse(res, error.response)
      const detail = error instanceof Error ? error.stack : error
      process.stderr.write(`session-vault demo: internal error on ${req.method} ${path}: ${detail}\n`)
      sendJson(res, 500, { error: 'server_error' })
    }
  }
}

/**
 * Apply the server-wide limits (request headers within HEADERS_TIMEOUT_MS).
 * @param {import('node:http').Server} server
 */
export function applyLimits(server) {
  server.headersTimeout = HEADERS_TIMEOUT_MS
  return server
}

/**
 * Listen; resolves the port (the one chosen when `port` is 0).
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>}
 */
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

/**
 * Stop listening and close every connection, idle or not.
 * @param {import('node:http').Server} server
 * @returns {Promise<void>}
 */
export function closeServer(server) {
  return new Promise(resolve => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/**
 * The origin of a listening address (IPv6 hosts in brackets).
 * @param {string} host
 * @param {number} port
 */
export function originOf(host, port) {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
