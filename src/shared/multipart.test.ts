import { describe, expect, test } from 'vitest'
import { boundaryOf, encodeMultipart, newBoundary, readRequestBody } from './multipart.js'

/** What the platform's own fetch sends for `form` (Node's undici follows the HTML algorithm, as Chromium and Firefox do). */
async function platformEncoding(form: FormData): Promise<{ boundary: string; bytes: Buffer }> {
  const request = new Request('http://example.test/', { method: 'POST', body: form })
  const boundary = boundaryOf(request.headers.get('content-type'))
  if (!boundary) throw new Error('no boundary')
  return { boundary, bytes: Buffer.from(await request.arrayBuffer()) }
}

describe('encodeMultipart (the WebKit fallback for FormData bodies with files)', () => {
  test('byte for byte what the platform encodes: strings, files, blobs, newlines, quotes, non-ASCII', async () => {
    const form = new FormData()
    form.append('field', 'välue')
    form.append(
      'file',
      new File([new Uint8Array([0, 1, 2, 253, 254, 255]), 'tail'], 'hello.bin', { type: 'application/x-bin' }),
    )
    form.append('lines', 'a\nb\rc\r\nd')
    form.append('na"me\nx', 'quoted')
    form.append('blob', new Blob(['bytes']))
    form.append('typed', new File(['{}'], 'q"uote\r.json', { type: 'application/json' }))
    form.append('empty', '')
    const { boundary, bytes } = await platformEncoding(form)
    expect(Buffer.from(await encodeMultipart(form, boundary)).equals(bytes)).toBe(true)
  })

  test('an empty FormData is just the closing boundary', async () => {
    const { boundary, bytes } = await platformEncoding(new FormData())
    expect(Buffer.from(await encodeMultipart(new FormData(), boundary)).toString()).toBe(bytes.toString())
  })

  test('boundaryOf reads the boundary of a multipart Content-Type only', () => {
    expect(boundaryOf('multipart/form-data; boundary=----WebKitFormBoundaryAbC123')).toBe(
      '----WebKitFormBoundaryAbC123',
    )
    expect(boundaryOf('multipart/form-data; boundary="quoted-one"')).toBe('quoted-one')
    expect(boundaryOf('text/plain')).toBeNull()
    expect(boundaryOf(null)).toBeNull()
    expect(newBoundary()).toMatch(/^----session-vault-[0-9a-f]{32}$/)
  })
})

describe('readRequestBody', () => {
  /** A Request as WebKit builds it for a FormData with a file: its body cannot be read back. */
  const webkitLike = (request: Request) =>
    ({
      headers: new Headers(request.headers),
      arrayBuffer: () => Promise.reject(new DOMException('Unable to read form data blob', 'InvalidStateError')),
    }) as unknown as Request

  test('reads the body normally where the engine can', async () => {
    const init = { method: 'POST', body: 'plain' }
    expect(Buffer.from(await readRequestBody(new Request('http://example.test/', init), init)).toString()).toBe('plain')
  })

  test('a FormData the engine cannot read is encoded with the boundary the Request announced', async () => {
    const form = new FormData()
    form.append('file', new File(['abc'], 'a.txt', { type: 'text/plain' }))
    const init = { method: 'POST', body: form }
    const { boundary, bytes } = await platformEncoding(form)
    const request = webkitLike(new Request('http://example.test/', init))
    request.headers.set('content-type', `multipart/form-data; boundary=${boundary}`)
    expect(Buffer.from(await readRequestBody(request, init)).equals(bytes)).toBe(true)
  })

  test('any other unreadable body still fails', async () => {
    const init = { method: 'POST', body: 'not a form' }
    await expect(readRequestBody(webkitLike(new Request('http://example.test/', init)), init)).rejects.toThrow(
      'Unable to read form data blob',
    )
  })
})
