import { SessionVaultError } from './errors.js'

/** Default of the `maxBodyBytes` option: 64 MiB. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

export const tooLarge = (max: number): SessionVaultError =>
  new SessionVaultError('ERR_BODY_TOO_LARGE', `The response body is larger than maxBodyBytes (${max} bytes)`)

/**
 * The declared `Content-Length` of a body without `Content-Encoding`, else NaN: an encoded
 * length says little about the decoded size, so only a plain one is trusted up front.
 */
export const plainLength = (headers: Headers): number =>
  headers.has('Content-Encoding') ? Number.NaN : Number(headers.get('Content-Length') ?? Number.NaN)

/**
 * Reads a `session.fetch` response body, at most `maxBytes` of it: a larger
 * one (by its `Content-Length`, or as it arrives) cancels the stream, which
 * stops the download, and rejects `ERR_BODY_TOO_LARGE`. Null for no body.
 */
export async function readBody(response: Response, maxBytes: number): Promise<ArrayBuffer | null> {
  if (response.body === null) return null
  const reader = response.body.getReader()
  const stop = (): never => {
    reader.cancel().catch(() => {})
    throw tooLarge(maxBytes)
  }
  if (plainLength(response.headers) > maxBytes) stop()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) stop()
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    body.set(chunk, at)
    at += chunk.byteLength
  }
  return body.buffer
}

/**
 * The `requestTimeout` option: aborts `controller` with `ERR_TIMEOUT` once
 * `ms` pass (never when `ms` is 0 or undefined). Returns what cancels the timer.
 */
export function deadline(controller: AbortController, ms: number | undefined): () => void {
  if (!ms) return () => {}
  const timer = setTimeout(
    () => controller.abort(new SessionVaultError('ERR_TIMEOUT', `No complete answer within requestTimeout (${ms} ms)`)),
    ms,
  )
  return () => clearTimeout(timer)
}
