import type { WireError } from './names.js'

/** An answer to send: status, JSON body, headers (`Set-Cookie` may repeat). */
export class WireAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: [string, string][] = [],
  ) {}
}

/** A JSON error answer `{ error }`. */
export function wireError(status: number, error: WireError, headers: [string, string][] = []): WireAnswer {
  return new WireAnswer(status, { error }, headers)
}

const BASE_HEADERS: [string, string][] = [
  ['Cache-Control', 'no-store'],
  ['Pragma', 'no-cache'],
  ['X-Content-Type-Options', 'nosniff'],
]

/** Turn an answer into a `Response`: JSON, `no-store`, a `Date` header. */
export function toResponse(answer: WireAnswer, now: number): Response {
  const headers = new Headers()
  for (const [name, value] of BASE_HEADERS) headers.set(name, value)
  headers.set('Date', new Date(now).toUTCString())
  for (const [name, value] of answer.headers) headers.append(name, value)
  if (answer.status === 204 || answer.body === undefined) return new Response(null, { status: answer.status, headers })
  headers.set('Content-Type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers })
}

/** The first value of each cookie name in the request. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie')
  if (!header || header.length > 8192) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null
  }
  return null
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization')
  if (!header || header.length > 600) return null
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  return match ? match[1]! : null
}

/** Media type without parameters, lower case, '' when absent. */
export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** Thrown by `readBody` for a body over the limit. */
export class BodyTooLarge extends Error {}

/** Read the body as text, refusing more than `limit` bytes (declared or streamed). */
export async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (!(declared <= limit)) throw new BodyTooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLarge()
    }
    chunks.push(value)
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size))
}

/** Drain a body we do not need (bounded), ignoring errors. */
export async function discardBody(request: Request): Promise<void> {
  if (request.body && !request.bodyUsed) await request.body.cancel().catch(() => {})
}

/** Whether a value is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `Set-Cookie` value for a `__Host-` style cookie. `maxAgeMs` null = a browser-session cookie. */
export function setCookie(
  name: string,
  value: string,
  opts: { sameSite: 'Strict' | 'Lax'; maxAgeMs: number | null },
): string {
  const maxAge = opts.maxAgeMs === null ? '' : `; Max-Age=${Math.max(1, Math.floor(opts.maxAgeMs / 1000))}`
  return `${name}=${value}; Path=/; HttpOnly; Secure; SameSite=${opts.sameSite}${maxAge}`
}

/** `Set-Cookie` value that deletes a cookie. */
export function clearCookie(name: string, sameSite: 'Strict' | 'Lax'): string {
  return `${name}=; Path=/; HttpOnly; Secure; SameSite=${sameSite}; Max-Age=0`
}

export const CLEAR_SITE_DATA: [string, string] = ['Clear-Site-Data', '"cache", "cookies", "storage"']
