import type { IncomingMessage, ServerResponse } from 'node:http'
import { checkMaxAge } from '../core/recent-auth.js'
import type { AuthenticateOptions, SessionServer } from '../core/session-server-api.js'
import { requirePeer } from './load-peer.js'
import { sendWebResponse, toWebRequest } from './web-request.js'

/** The parts of Express's request and response the adapter uses. */
interface ExpressReq extends IncomingMessage {
  originalUrl: string
  protocol: string
  ip?: string
  body?: unknown
  get(name: string): string | undefined
}
interface ExpressRes extends ServerResponse {
  locals: Record<string, unknown>
}
type Next = (error?: unknown) => void
/** What `expressRouter` returns: an Express `Router` (a middleware function with `use`). */
export type ExpressRouterLike = ((req: IncomingMessage, res: ServerResponse, next: Next) => void) & {
  use(handler: (req: ExpressReq, res: ExpressRes, next: Next) => void): unknown
}
interface ExpressModule {
  Router(): ExpressRouterLike
}

function pathnameOf(url: string): string {
  const end = url.search(/[?#]/)
  return end < 0 ? url : url.slice(0, end)
}

function requestOf(req: ExpressReq, body: boolean): Request {
  const host = req.get('host') ?? 'localhost'
  const parsedBody = req.readableEnded && req.body !== undefined ? { parsedBody: req.body } : {}
  const request = toWebRequest(req, { protocol: req.protocol, host, body, ...parsedBody })
  // Inside a mounted router Express rewrites req.url; the library matches the original path.
  return req.url === req.originalUrl ? request : new Request(new URL(req.originalUrl, request.url), request)
}

/**
 * An Express router answering the library's routes (`app.use(expressRouter(server))`);
 * mount it before body parsers. Needs the `express` package (an optional peer).
 * @throws {MissingPeerError} at once when `express` is not installed
 */
export function expressRouter(server: SessionServer): ExpressRouterLike {
  const express = requirePeer<ExpressModule>('express', 'expressRouter')
  const router = express.Router()
  router.use((req, res, next) => {
    if (!server.owns(pathnameOf(req.originalUrl))) return next()
    let request: Request
    try {
      request = requestOf(req, true)
    } catch {
      res.statusCode = 400
      return void res.end()
    }
    server
      .handle(request, { ...(req.ip && { clientAddress: req.ip }) })
      .then(response => (response ? sendWebResponse(res, response) : next()))
      .catch(next)
  })
  return router
}

/**
 * Express middleware for your API routes: a live session goes to
 * `res.locals.sessionVault` (`{ userId, sessionId, claims? }`); otherwise the 401/403/503 is sent.
 */
export function expressAuthenticate(server: SessionServer, options: AuthenticateOptions = {}) {
  checkMaxAge(options.maxAge, 'expressAuthenticate')
  return (incoming: IncomingMessage, outgoing: ServerResponse, next: Next): void => {
    const req = incoming as ExpressReq
    const res = outgoing as ExpressRes
    let request: Request
    try {
      request = requestOf(req, false)
    } catch {
      res.statusCode = 400
      return void res.end()
    }
    server
      .authenticate(request, {
        ...(req.ip && { clientAddress: req.ip }),
        ...(options.touch !== undefined && { touch: options.touch }),
        ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
      })
      .then(result => {
        if (result instanceof Response) return sendWebResponse(res, result)
        res.locals.sessionVault = result
        next()
      })
      .catch(next)
  }
}
