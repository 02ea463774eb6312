/**
 * multipart/form-data encoding of a `FormData` (HTML's algorithm, byte for
 * byte what Chromium, Firefox and Node's fetch send), for engines that cannot
 * read a FormData body back: WebKit's `Request.arrayBuffer()` rejects with
 * `InvalidStateError: Unable to read form data blob` as soon as the FormData
 * holds a Blob or File. Used only as that fallback (src/serialize.ts).
 */

const escapeQuoted = (text: string): string => text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22')
const normalizeNewlines = (text: string): string => text.replace(/\r?\n|\r/g, '\r\n')

/** The boundary of a `multipart/form-data` Content-Type, or null. */
export function boundaryOf(contentType: string | null): string | null {
  const match = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1\s*$/i.exec(contentType ?? '')
  return match ? match[2]! : null
}

/** A fresh boundary, for when the caller set a Content-Type of their own (as fetch does, the body still gets one). */
export function newBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `----session-vault-${Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')}`
}

/** The body bytes of `form` with `boundary`. */
export async function encodeMultipart(form: FormData, boundary: string): Promise<ArrayBuffer> {
  const encoder = new TextEncoder()
  const parts: BlobPart[] = []
  const prefix = `--${boundary}\r\nContent-Disposition: form-data`
  form.forEach((value, name) => {
    const quotedName = escapeQuoted(normalizeNewlines(name))
    if (typeof value === 'string') {
      parts.push(encoder.encode(`${prefix}; name="${quotedName}"\r\n\r\n${normalizeNewlines(value)}\r\n`))
    } else {
      const filename = value.name ? `; filename="${escapeQuoted(value.name)}"` : ''
      parts.push(
        encoder.encode(
          `${prefix}; name="${quotedName}"${filename}\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`,
        ),
      )
      parts.push(value, encoder.encode('\r\n'))
    }
  })
  parts.push(encoder.encode(`--${boundary}--\r\n`))
  return new Blob(parts).arrayBuffer()
}

/**
 * The body bytes of `request` (built from `init`). Where the engine cannot read
 * a FormData body back (WebKit, when it holds a Blob or File), encodes
 * `init.body` itself with the boundary the Request announced, so the
 * Content-Type and the bytes still agree. Any other failure is rethrown.
 */
export async function readRequestBody(request: Request, init: RequestInit | undefined): Promise<ArrayBuffer> {
  try {
    return await request.arrayBuffer()
  } catch (error) {
    const form = init?.body
    if (typeof FormData !== 'function' || !(form instanceof FormData)) throw error
    return encodeMultipart(form, boundaryOf(request.headers.get('content-type')) ?? newBoundary())
  }
}
