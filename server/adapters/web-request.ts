import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

/** How to read a Node request as a Web `Request`. */
export interface ToWebRequestOptions {
  /**
   * Trust `X-Forwarded-Proto` / `X-Forwarded-Host` / `X-Forwarded-For` (only behind your own proxy).
   * @default false
   */
  trustProxy?: boolean
  /**
   * Pass the body on (false for `authenticate`, which only reads headers).
   * @default true
   */
  body?: boolean
  /** Protocol and host decided by the framework (Express `req.protocol`, Fastify `request.host`). */
  protocol?: string
  host?: string
  /** A body the framework already parsed (Express body parsers), re-serialised by content type. */
  parsedBody?: unknown
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value
  return v?.split(',')[0]?.trim() || undefined
}

/** The client address of a Node request. */
export function clientAddressOf(req: IncomingMessage, trustProxy = false): string | undefined {
  return (trustProxy && first(req.headers['x-forwarded-for'])) || req.socket?.remoteAddress || undefined
}

function reserialise(parsed: unknown, contentType: string): string | null {
  if (typeof parsed === 'string') return parsed
  if (Buffer.isBuffer(parsed)) return parsed.toString('utf8')
  if (parsed === undefined || parsed === null) return null
  if (contentType.includes('application/x-www-form-urlencoded') && typeof parsed === 'object') {
    return new URLSearchParams(parsed as Record<string, string>).toString()
  }
  return JSON.stringify(parsed)
}

/** A Web `Request` for a Node `IncomingMessage`; throws a `TypeError` for an unusable Host. */
export function toWebRequest(req: IncomingMessage, options: ToWebRequestOptions = {}): Request {
  const { trustProxy = false } = options
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true
  const protocol =
    options.protocol ?? ((trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http'))
  const host =
    options.host ?? ((trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost')
  const url = new URL(req.url ?? '/', `${protocol}://${host}`)
  if (url.host !== host.toLowerCase() && url.host !== host) throw new TypeError('Bad Host header')
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, value)
  }
  const method = (req.method ?? 'GET').toUpperCase()
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (options.body !== false && method !== 'GET' && method !== 'HEAD') {
    if (options.parsedBody !== undefined) {
      const text = reserialise(options.parsedBody, headers.get('content-type') ?? '')
      if (text !== null) {
        init.body = text
        headers.delete('content-length')
      }
    } else if (!req.readableEnded) {
      init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>
      init.duplex = 'half'
    }
  }
  return new Request(url, init)
}

/** Write a Web `Response` to a Node `ServerResponse` (every `Set-Cookie` kept apart). */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies)
  const body = Buffer.from(await response.arrayBuffer())
  if (body.length > 0) res.setHeader('Content-Length', body.length)
  res.end(body)
}
