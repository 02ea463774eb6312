import type { IncomingMessage } from 'node:http'
import { checkMaxAge } from '../core/recent-auth.js'
import type { AuthenticatedSession, AuthenticateOptions, SessionServer } from '../core/session-server-api.js'
import { toWebRequest } from './web-request.js'

/** The parts of Fastify's request, reply and instance the plugin uses (no import of fastify itself). */
interface FastifyReq {
  raw: IncomingMessage
  ip: string
  protocol: string
  host: string
  sessionVault?: AuthenticatedSession | null
}
interface FastifyReply {
  code(status: number): FastifyReply
  header(name: string, value: string | string[]): FastifyReply
  send(payload?: unknown): FastifyReply
}
interface FastifyInstance {
  route(options: {
    method: string[]
    url: string
    onRequest: (request: FastifyReq, reply: FastifyReply) => Promise<unknown>
    handler: (request: FastifyReq, reply: FastifyReply) => Promise<unknown>
  }): unknown
  decorateRequest(name: string, value: unknown): unknown
  hasRequestDecorator?(name: string): boolean
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

async function reply(fastifyReply: FastifyReply, response: Response): Promise<FastifyReply> {
  fastifyReply.code(response.status)
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') fastifyReply.header(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) fastifyReply.header('set-cookie', cookies)
  return fastifyReply.send(Buffer.from(await response.arrayBuffer()))
}

function requestOf(request: FastifyReq, body: boolean): Request {
  return toWebRequest(request.raw, { protocol: request.protocol, host: request.host, body })
}

/**
 * A Fastify plugin answering the library's routes (`app.register(fastifyPlugin(server))`).
 * It answers in `onRequest`, before Fastify parses the body, so the library's
 * own limits and errors apply. Needs no import of `fastify` (an optional peer).
 */
export function fastifyPlugin(server: SessionServer) {
  const plugin = async (fastify: FastifyInstance): Promise<void> => {
    if (!fastify.hasRequestDecorator?.('sessionVault')) fastify.decorateRequest('sessionVault', null)
    const urls = Object.values(server.paths).filter(p => server.owns(p))
    urls.push(`${server.paths.sessions}/:id`)
    for (const url of urls) {
      fastify.route({
        method: METHODS,
        url,
        onRequest: async (request, fastifyReply) => {
          let webRequest: Request
          try {
            webRequest = requestOf(request, true)
          } catch {
            return fastifyReply.code(400).send({ error: 'invalid_request' })
          }
          const response = await server.handle(webRequest, { clientAddress: request.ip })
          if (response) return reply(fastifyReply, response)
          return fastifyReply.code(404).send({ error: 'not_found' })
        },
        handler: async (_request, fastifyReply) => fastifyReply.code(404).send({ error: 'not_found' }),
      })
    }
  }
  // Like fastify-plugin: no encapsulation, so the request decorator is visible to the app's routes.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'session-vault' })
  return plugin
}

/**
 * A Fastify `preHandler` for your API routes: a live session goes to
 * `request.sessionVault`; otherwise the 401/403/503 is sent.
 */
export function fastifyAuthenticate(server: SessionServer, options: AuthenticateOptions = {}) {
  checkMaxAge(options.maxAge, 'fastifyAuthenticate')
  return async (request: FastifyReq, fastifyReply: FastifyReply): Promise<unknown> => {
    let webRequest: Request
    try {
      webRequest = requestOf(request, false)
    } catch {
      return fastifyReply.code(400).send({ error: 'invalid_request' })
    }
    const result = await server.authenticate(webRequest, {
      clientAddress: request.ip,
      ...(options.touch !== undefined && { touch: options.touch }),
      ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
    })
    if (result instanceof Response) return reply(fastifyReply, result)
    request.sessionVault = result
    return undefined
  }
}
