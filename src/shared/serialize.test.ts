import { describe, expect, it, vi } from 'vitest'
import { deserializeResponse, serializeRequest } from './serialize.js'

const url = 'http://127.0.0.1:8787/api/echo'
const text = (body: ArrayBuffer | ReadableStream | null) =>
  new TextDecoder().decode(body instanceof ArrayBuffer ? body : new ArrayBuffer(0))

describe('serializeRequest', () => {
  it('keeps method, headers and options; GET has no body', async () => {
    const request = await serializeRequest(url, { headers: { 'X-Test': '1' }, cache: 'no-store', redirect: 'manual' })
    expect(request).toMatchObject({ url, method: 'GET', body: null, cache: 'no-store', redirect: 'manual' })
    expect(request.headers).toEqual([['x-test', '1']])
  })

  it.each([
    ['string', 'hello', 'hello', 'text/plain;charset=UTF-8'],
    ['ArrayBuffer', new TextEncoder().encode('bytes').buffer, 'bytes', null],
    ['typed array', new Uint8Array([104, 105]), 'hi', null],
    ['Blob', new Blob(['blob'], { type: 'text/x-blob' }), 'blob', 'text/x-blob'],
    [
      'URLSearchParams',
      new URLSearchParams({ a: '1', b: 'two' }),
      'a=1&b=two',
      'application/x-www-form-urlencoded;charset=UTF-8',
    ],
  ])('turns a %s body into one ArrayBuffer with its content type', async (_, body, expected, type) => {
    const request = await serializeRequest(url, { method: 'POST', body: body as BodyInit })
    expect(request.body).toBeInstanceOf(ArrayBuffer)
    expect(text(request.body)).toBe(expected)
    expect(new Map(request.headers).get('content-type') ?? null).toBe(type)
  })

  it('keeps the multipart boundary of FormData', async () => {
    const form = new FormData()
    form.set('field', 'value')
    const request = await serializeRequest(url, { method: 'POST', body: form })
    const type = new Map(request.headers).get('content-type')!
    const boundary = /boundary=(.+)$/.exec(type)![1]!
    expect(text(request.body)).toContain(`--${boundary}`)
    expect(text(request.body)).toContain('value')
  })

  it('accepts a Request object', async () => {
    const request = await serializeRequest(new Request(url, { method: 'PUT', body: 'x' }))
    expect(request.method).toBe('PUT')
    expect(text(request.body)).toBe('x')
  })

  it('rejects a GET with a body like fetch does', async () => {
    await expect(serializeRequest(url, { method: 'GET', body: 'x' })).rejects.toThrow(TypeError)
  })
})

describe('deserializeResponse', () => {
  it('rebuilds status, headers, body, url and redirected', async () => {
    const response = deserializeResponse({
      url: 'http://127.0.0.1:8787/final',
      redirected: true,
      type: 'basic',
      status: 201,
      statusText: 'Created',
      headers: [
        ['content-type', 'application/json'],
        ['x-a', '1'],
      ],
      body: new TextEncoder().encode('{"ok":true}').buffer,
    })
    expect(response.status).toBe(201)
    expect(response.statusText).toBe('Created')
    expect(response.headers.get('x-a')).toBe('1')
    expect(response.url).toBe('http://127.0.0.1:8787/final')
    expect(response.redirected).toBe(true)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('gives an opaque redirect (status 0) back as a status-0 response of that type', () => {
    const response = deserializeResponse({
      url,
      redirected: false,
      type: 'opaqueredirect',
      status: 0,
      statusText: '',
      headers: [],
      body: null,
    })
    expect(response.status).toBe(0)
    expect(response.type).toBe('opaqueredirect')
    expect(response.ok).toBe(false)
  })

  it.each([204, 205, 304])('gives null-body status %d a null body', status => {
    const response = deserializeResponse({
      url,
      redirected: false,
      type: 'basic',
      status,
      statusText: '',
      headers: [],
      body: new ArrayBuffer(0),
    })
    expect(response.status).toBe(status)
    expect(response.body).toBeNull()
  })
})

describe('deserializeResponse: a streamed body read whole', () => {
  const chunks = (sizes: number[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        let next = 0
        for (const size of sizes) controller.enqueue(Uint8Array.from({ length: size }, () => next++ % 256))
        controller.close()
      },
    })
  /** A 200 whose body streams from `stream`, with these headers. */
  const answer = (stream: ReadableStream<Uint8Array>, headers: [string, string][] = []) =>
    deserializeResponse({
      url,
      redirected: false,
      type: 'basic',
      status: 200,
      statusText: 'OK',
      headers,
      body: { stream },
    })
  const streamed = (sizes: number[], contentLength?: number) =>
    answer(chunks(sizes), contentLength === undefined ? [] : [['content-length', String(contentLength)]])
  const expected = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 256)

  it.each([
    ['as declared', 1000],
    ['declared shorter (a compressed body grows the buffer)', 10],
    ['declared longer', 5000],
    ['not declared', undefined],
    ['declared nonsense', Number.NaN],
  ])('arrayBuffer() and bytes() hold exactly the body: %s', async (_, declared) => {
    const sizes = [300, 1, 499, 200]
    const buffer = await streamed(sizes, declared).arrayBuffer()
    expect(buffer.byteLength).toBe(1000)
    expect(new Uint8Array(buffer)).toEqual(expected(1000))
    const bytes = await streamed(sizes, declared).bytes()
    expect(bytes.buffer.byteLength).toBe(1000)
    expect(bytes).toEqual(expected(1000))
  })

  it('an encoded body: its Content-Length (of the encoded bytes, unchecked by the vault) is not allocated', async () => {
    const response = answer(chunks([3, 4]), [
      ['content-encoding', 'gzip'],
      ['content-length', '1e10'],
    ])
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(expected(7))
  })

  it('text() and json() decode the whole body; a second read is refused as fetch does', async () => {
    const encoded = new TextEncoder().encode(JSON.stringify({ text: 'é'.repeat(100) }))
    const sevens = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < encoded.length; i += 7) controller.enqueue(encoded.slice(i, i + 7))
        controller.close()
      },
    })
    const response = answer(sevens, [['content-length', String(encoded.length)]])
    expect(await response.json()).toEqual({ text: 'é'.repeat(100) })
    await expect(response.text()).rejects.toThrow(TypeError)
  })
})

describe('serializeRequest in an engine without Request.prototype.body (Firefox)', () => {
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, 'body')!
  async function withoutBodyGetter<T>(run: (serialize: typeof serializeRequest) => Promise<T>): Promise<T> {
    delete (Request.prototype as { body?: unknown }).body
    try {
      vi.resetModules()
      const { serializeRequest: serialize } = await import('./serialize.js')
      return await run(serialize)
    } finally {
      Object.defineProperty(Request.prototype, 'body', descriptor)
      vi.resetModules()
    }
  }

  it('a GET, from a URL or a Request, gets no body (an empty one would make the engine throw)', async () => {
    await withoutBodyGetter(async serialize => {
      expect((await serialize(url)).body).toBeNull()
      expect((await serialize(new URL(url), { method: 'HEAD' })).body).toBeNull()
      expect((await serialize(new Request(url))).body).toBeNull()
      expect((await serialize(new Request(url), { headers: { 'X-A': '1' } })).body).toBeNull()
    })
  })

  it('bodies given in init or by a Request input still arrive', async () => {
    await withoutBodyGetter(async serialize => {
      expect(text((await serialize(url, { method: 'POST', body: 'init' })).body)).toBe('init')
      expect(text((await serialize(new Request(url, { method: 'PUT', body: 'req' }))).body)).toBe('req')
      expect(text((await serialize(new Request(url, { method: 'PUT', body: 'old' }), { body: 'new' })).body)).toBe(
        'new',
      )
    })
  })
})

describe('serializeRequest with a stream body', () => {
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed '))
        controller.enqueue(new TextEncoder().encode('body'))
        controller.close()
      },
    })

  it('hands the stream itself over, unread, with no invented Content-Type', async () => {
    const body = stream()
    const request = await serializeRequest(url, { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(request.body).toBe(body)
    expect(new Map(request.headers).has('content-type')).toBe(false)
  })

  it('refuses one with ERR_UNSUPPORTED where streams cannot be transferred, never buffering it', async () => {
    const real = globalThis.structuredClone
    globalThis.structuredClone = () => {
      throw new DOMException('ReadableStream cannot be transferred', 'DataCloneError')
    }
    try {
      const body = stream()
      await expect(
        serializeRequest(url, { method: 'POST', body, duplex: 'half' } as RequestInit),
      ).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED' })
      expect(body.locked, 'the stream was not read').toBe(false)
    } finally {
      globalThis.structuredClone = real
    }
  })

  it('refuses one on a GET, as fetch does', async () => {
    await expect(serializeRequest(url, { body: stream(), duplex: 'half' } as RequestInit)).rejects.toBeInstanceOf(
      TypeError,
    )
  })
})
