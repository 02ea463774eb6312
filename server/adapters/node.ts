import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AuthenticatedSession, AuthenticateOptions, SessionServer } from '../core/session-server-api.js'
import { clientAddressOf, sendWebResponse, toWebRequest } from './web-request.js'

export { sendWebResponse, toWebRequest } from './web-request.js'

/** Options of `nodeHandler` and `authenticateNode`. */
export interface NodeHandlerOptions {
  /**
   * Trust `X-Forwarded-*` headers (only behind your own reverse proxy).
   * @default false
   */
  trustProxy?: boolean
}

function pathnameOf(url: string | undefined): string {
  const raw = url ?? '/'
  const end = raw.search(/[?#]/)
  return end < 0 ? raw : raw.slice(0, end)
}

function sendBadRequest(res: ServerResponse): void {
  res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end('{"error":"invalid_request"}')
}

/**
 * A `node:http` handler `(req, res, next?)` answering the library's routes;
 * other paths go to `next()` (404 without one).
 */
export function nodeHandler(server: SessionServer, options: NodeHandlerOptions = {}) {
  return async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    if (!server.owns(pathnameOf(req.url))) {
      if (next) return next()
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' })
      return void res.end('{"error":"not_found"}')
    }
    let request: Request
    try {
      request = toWebRequest(req, options)
    } catch {
      return sendBadRequest(res)
    }
    const response = await server.handle(request, { clientAddress: clientAddressOf(req, options.trustProxy) })
    if (!response) {
      if (next) return next()
      res.writeHead(404)
      return void res.end()
    }
    await sendWebResponse(res, response)
  }
}

/**
 * `server.authenticate` for a `node:http` request: the session, or a `Response` to send with `sendWebResponse`.
 * `touch` and `maxAge` (a recent sign-in, for a sensitive action) as `authenticate` takes them.
 */
export async function authenticateNode(
  server: SessionServer,
  req: IncomingMessage,
  options: NodeHandlerOptions & AuthenticateOptions = {},
): Promise<AuthenticatedSession | Response> {
  let request: Request
  try {
    request = toWebRequest(req, { ...options, body: false })
  } catch {
    return new Response('{"error":"invalid_request"}', {
      status: 400,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    })
  }
  return server.authenticate(request, {
    clientAddress: clientAddressOf(req, options.trustProxy),
    ...(options.touch !== undefined && { touch: options.touch }),
    ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
  })
}
