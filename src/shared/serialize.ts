/**
 * Both directions of the wire for `session.fetch`: the page turns `fetch`
 * arguments into a plain transferable request, the vault turns the network's
 * `Response` into a plain transferable one, and the page rebuilds a real
 * `Response` from it.
 */
import { readRequestBody } from './multipart.js'
import type { SerializedRequest, SerializedResponse } from './protocol.js'
import { readBody } from './read-body.js'

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
 * FormData, stream) becomes one ArrayBuffer; `Request` fills in the matching
 * `Content-Type` (including the multipart boundary).
 */
export async function serializeRequest(input: RequestInfo | URL, init?: RequestInit): Promise<SerializedRequest> {
  // Firefox cannot send a stream body: its Request quietly turns one into the text "[object ReadableStream]".
  const stream = isStream(init?.body) ? init.body : null
  const request = new Request(input, stream ? { ...init, body: null } : init)
  if (stream && (request.method === 'GET' || request.method === 'HEAD'))
    throw new TypeError('A GET or HEAD request cannot have a body')
  const body = stream
    ? await new Response(stream).arrayBuffer()
    : hasBody(request, input, init)
      ? await readRequestBody(request, init)
      : null
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

/** Vault side: the network's answer as a plain, transferable response (body read whole, at most `maxBodyBytes`). */
export async function serializeResponse(response: Response, maxBodyBytes: number): Promise<SerializedResponse> {
  return {
    url: response.url,
    redirected: response.redirected,
    type: response.type,
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: await readBody(response, maxBodyBytes),
  }
}

/**
 * Rebuilds a real `Response`; `url`, `redirected` and `type` are restored as
 * own properties. Status 0 (an opaque redirect with `redirect: 'manual'`)
 * cannot be constructed, so it comes back as `Response.error()` typed like the original.
 */
export function deserializeResponse(data: SerializedResponse): Response {
  // A one-chunk stream reads back faster in Chromium than a Response made from an ArrayBuffer.
  const body =
    data.body && !isNullBodyStatus(data.status)
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(data.body!))
            controller.close()
          },
        })
      : null
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
  return response
}

/** The signal a `fetch` call would honour: `init.signal`, else the Request's own. */
export function signalOf(input: RequestInfo | URL, init?: RequestInit): AbortSignal | undefined {
  if (init?.signal) return init.signal
  return typeof input === 'object' && 'signal' in input ? input.signal : undefined
}
