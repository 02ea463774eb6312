/**
 * Both directions of the wire for `session.fetch`: the page turns `fetch`
 * arguments into a plain transferable request, the vault turns the network's
 * `Response` into a plain transferable one, and the page rebuilds a real
 * `Response` from it.
 */
import { type BodyLimits, canTransferStreams, receiveBody, sendBody } from './body-stream.js'
import { SessionVaultError } from './errors.js'
import { readRequestBody } from './multipart.js'
import type { SerializedRequest, SerializedResponse } from './protocol.js'
import { plainLength, readBody, tooLarge } from './read-body.js'

/** Bodies of at most this declared length come whole in the answer (one message); longer or unknown ones stream. */
const WHOLE_BODY_BYTES = 64 * 1024

/** Statuses whose responses must have a null body (Fetch standard). */
const isNullBodyStatus = (status: number): boolean =>
  status === 101 || status === 103 || status === 204 || status === 205 || status === 304

/** Firefox has no `Request.prototype.body`: there `request.body` is `undefined` for every request. */
const exposesBody = 'body' in Request.prototype

const isStream = (body: unknown): body is ReadableStream =>
  typeof ReadableStream === 'function' && body instanceof ReadableStream

/**
 * Whether the caller gave a body: `init.body`, else a `Request` input's own.
 * Never inferred from `request.body` alone, which some engines do not expose
 * (reading `arrayBuffer()` there would invent an empty body for a GET).
 */
function hasBody(request: Request, input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  if (init?.body != null) return true
  if (typeof input !== 'object' || !('method' in input)) return false
  return exposesBody ? request.body !== null : request.method !== 'GET' && request.method !== 'HEAD'
}

/**
 * Turns `fetch` arguments into a plain, transferable request. The body (of any
 * `BodyInit` type: string, ArrayBuffer, typed array, Blob, URLSearchParams,
 * FormData) becomes one ArrayBuffer; `Request` fills in the matching
 * `Content-Type` (including the multipart boundary). A `ReadableStream` body
 * is handed to the vault as a stream, never buffered: where this engine cannot
 * transfer one, `ERR_UNSUPPORTED`.
 */
export async function serializeRequest(input: RequestInfo | URL, init?: RequestInit): Promise<SerializedRequest> {
  // Firefox cannot send a stream body: its Request quietly turns one into the text "[object ReadableStream]".
  const stream = isStream(init?.body) ? init.body : null
  const request = new Request(input, stream ? { ...init, body: null } : init)
  if (stream && (request.method === 'GET' || request.method === 'HEAD'))
    throw new TypeError('A GET or HEAD request cannot have a body')
  if (stream && !canTransferStreams()) throw unsupportedStreamBody('cannot hand a stream to the vault')
  const body = stream ?? (hasBody(request, input, init) ? await readRequestBody(request, init) : null)
  return {
    url: request.url,
    method: request.method,
    headers: [...request.headers],
    body,
    credentials: request.credentials,
    cache: request.cache,
    redirect: request.redirect,
    referrerPolicy: request.referrerPolicy,
    integrity: request.integrity,
    keepalive: request.keepalive,
  }
}

/** `ERR_UNSUPPORTED` for a stream request body this engine cannot send (`why`). */
export const unsupportedStreamBody = (why: string): SessionVaultError =>
  new SessionVaultError('ERR_UNSUPPORTED', `A ReadableStream request body is not supported here: this engine ${why}`)

/**
 * Vault side: the network's answer as a plain, transferable response. A body
 * declared small comes whole; any other streams ({@link sendBody}), over a
 * transferred stream when `transfer`, else a port. A declared length over
 * `limits.maxBytes` is refused at once. `limits.end()` runs when the body is done.
 */
export async function serializeResponse(
  response: Response,
  limits: BodyLimits,
  transfer: boolean,
): Promise<SerializedResponse> {
  const declared = Number(response.headers.get('Content-Length') ?? Number.NaN)
  if (plainLength(response.headers) > limits.maxBytes) {
    response.body?.cancel().catch(() => {})
    throw tooLarge(limits.maxBytes)
  }
  let body: SerializedResponse['body'] = null
  if (!response.body || isNullBodyStatus(response.status)) limits.end()
  else if (declared <= WHOLE_BODY_BYTES) body = await readBody(response, limits.maxBytes).finally(limits.end)
  else body = sendBody(response.body, limits, transfer)
  return {
    url: response.url,
    redirected: response.redirected,
    type: response.type,
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body,
  }
}

/**
 * Rebuilds a real `Response`; `url`, `redirected` and `type` are restored as
 * own properties. Status 0 (an opaque redirect with `redirect: 'manual'`)
 * cannot be constructed, so it comes back as `Response.error()` typed like the original.
 * A streamed body is read from the vault as the page reads it; `signal` aborts it,
 * it fails with `closed` (the vault stopped), and `onDrop` runs if it is collected unread.
 */
export function deserializeResponse(
  data: SerializedResponse,
  signal?: AbortSignal,
  closed?: Promise<never>,
  onDrop?: () => void,
): Response {
  const whole = data.body instanceof ArrayBuffer ? data.body : null
  // A one-chunk stream reads back faster in Chromium than a Response made from an ArrayBuffer.
  const body =
    !data.body || isNullBodyStatus(data.status)
      ? null
      : whole
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new Uint8Array(whole))
              controller.close()
            },
          })
        : receiveBody(data.body as Exclude<SerializedResponse['body'], ArrayBuffer | null>, signal, closed, onDrop)
  const response =
    data.status === 0
      ? Response.error()
      : new Response(body, {
          status: data.status,
          statusText: data.statusText,
          headers: data.headers,
        })
  Object.defineProperties(response, {
    url: { value: data.url },
    redirected: { value: data.redirected },
    type: { value: data.type },
  })
  return body && !whole ? keepErrors(response, body) : response
}

const READERS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/**
 * Reading a streamed body whole (`text()`, `json()`, …) rejects with the error
 * that ended it (`ERR_BODY_TOO_LARGE`, `ERR_TIMEOUT`, the abort's reason), as
 * `body.getReader()` does. Left to the engine, a constructed Response loses
 * it: Chromium rejects "Failed to fetch", Firefox an AbortError.
 */
function keepErrors(response: Response, body: ReadableStream<Uint8Array>): Response {
  for (const name of READERS) {
    const read = (Response.prototype as unknown as Record<string, (() => Promise<unknown>) | undefined>)[name]
    if (!read) continue
    Object.defineProperty(response, name, {
      value: async () => {
        if (response.bodyUsed) return read.call(response)
        const all = await readAll(body, plainLength(response.headers))
        if (name === 'bytes') return all
        if (name === 'arrayBuffer') return all.buffer
        return read.call(new Response(all, { headers: response.headers }))
      },
    })
  }
  return response
}

/**
 * Every chunk of `body` in one buffer of exactly its length, each copied in as it arrives:
 * allocated once at `declared` (a plain length, which the vault refused over `maxBodyBytes`),
 * grown as needed otherwise.
 */
async function readAll(body: ReadableStream<Uint8Array>, declared: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader()
  let buffer = new Uint8Array(Number.isSafeInteger(declared) && declared > 0 ? declared : 0)
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return length === buffer.length ? buffer : buffer.slice(0, length)
    if (length + value.length > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, length + value.length))
      grown.set(buffer.subarray(0, length))
      buffer = grown
    }
    buffer.set(value, length)
    length += value.length
  }
}

/** The signal a `fetch` call would honour: `init.signal`, else the Request's own. */
export function signalOf(input: RequestInfo | URL, init?: RequestInit): AbortSignal | undefined {
  if (init?.signal) return init.signal
  return typeof input === 'object' && 'signal' in input ? input.signal : undefined
}
