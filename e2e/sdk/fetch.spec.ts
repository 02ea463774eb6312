import { expect, test } from '../support/fixtures.js'
import { events, state, vaultFetch } from '../support/harness.js'
import { ORIGIN } from '../support/server.js'

test('sign in, fetch /api/me through the vault', async ({ signedIn: page }) => {
  expect(await state(page)).toBe('authenticated')
  const me = await vaultFetch(page, '/api/me')
  expect(me.ok).toBe(true)
  expect(me.value!.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({ username: 'alice' })
  const authenticated = await events(page, 'authenticated')
  expect(authenticated).toHaveLength(1)
  expect(Object.keys(authenticated[0]!.payload).sort()).toEqual(['authenticated', 'expiresAt'])
})

// ---------------------------------------------------------------------------
// Request/response fidelity through the vault (/api/echo, /api/status, /api/bytes).

interface Echo {
  method: string
  headers: Record<string, string | boolean>
  bodyBase64: string
  bodyLength: number
  contentType: string | null
}

const bytesOf = (echo: Echo) => Buffer.from(echo.bodyBase64, 'base64')

test('request method, headers and body survive for every body type', async ({ signedIn: page }) => {
  const results = (await page.evaluate(async () => {
    const session = window.session
    const echo = async (input: RequestInfo, init?: RequestInit) => {
      const response: Response = await session.fetch(input, init)
      if (response.status !== 200) throw new Error(`echo answered ${response.status}`)
      return response.json()
    }
    const headers = () => {
      const h = new Headers({ 'X-Custom': 'custom value', Accept: 'application/x-test' })
      h.append('X-Multi', 'one')
      h.append('X-Multi', 'two')
      return h
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    const big = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256)
    const form = new FormData()
    form.append('field', 'välue')
    form.append(
      'file',
      new File([new Uint8Array([0, 1, 2, 253, 254, 255]), 'tail'], 'hello.bin', { type: 'application/x-bin' }),
    )
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed '))
        controller.enqueue(new TextEncoder().encode('body'))
        controller.close()
      },
    })
    return {
      get: await echo('/api/echo', { headers: headers() }),
      string: await echo('/api/echo', { method: 'POST', headers: headers(), body: 'héllo wörld ✓' }),
      arrayBuffer: await echo('/api/echo', { method: 'PUT', headers: headers(), body: all.buffer }),
      uint8Array: await echo('/api/echo', { method: 'PATCH', headers: headers(), body: big.subarray(10, 20) }),
      dataView: await echo('/api/echo', { method: 'POST', body: new DataView(big.buffer, 100, 5) }),
      blob: await echo('/api/echo', {
        method: 'POST',
        headers: headers(),
        body: new Blob(['blob ', all], { type: 'image/png' }),
      }),
      urlSearchParams: await echo('/api/echo', {
        method: 'POST',
        body: new URLSearchParams({ a: '1', b: 'two words', c: 'é&=' }),
      }),
      formData: await echo('/api/echo', { method: 'POST', headers: headers(), body: form }),
      deleteWithBody: await echo('/api/echo', {
        method: 'DELETE',
        headers: { 'Content-Type': 'application/json' },
        body: '{"id":1}',
      }),
      explicitType: await echo('/api/echo', {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.test+json' },
        body: '{}',
      }),
      stream: await echo('/api/echo', { method: 'POST', body: stream, duplex: 'half' } as RequestInit),
      request: await echo(new Request('/api/echo', { method: 'PUT', headers: headers(), body: 'from a Request' })),
    }
  })) as Record<string, Echo>

  for (const [name, echo] of Object.entries(results)) {
    expect(echo.headers.authorization, `${name}: token attached in the vault`).toBe(true)
    expect(echo.headers.cookie, name).toBeUndefined()
  }
  for (const name of ['get', 'string', 'arrayBuffer', 'uint8Array', 'blob', 'formData', 'request']) {
    expect(results[name]!.headers['x-custom'], name).toBe('custom value')
    expect(results[name]!.headers.accept, name).toBe('application/x-test')
    expect(results[name]!.headers['x-multi'], name).toBe('one, two')
  }

  expect(results.get).toMatchObject({ method: 'GET', bodyLength: 0, contentType: null })
  expect(results.string).toMatchObject({ method: 'POST', contentType: 'text/plain;charset=UTF-8' })
  expect(bytesOf(results.string!).toString('utf8')).toBe('héllo wörld ✓')
  expect(results.arrayBuffer).toMatchObject({ method: 'PUT', bodyLength: 256, contentType: null })
  expect([...bytesOf(results.arrayBuffer!)]).toEqual(Array.from({ length: 256 }, (_, i) => i))
  // A view sends only its own bytes, not the whole underlying buffer.
  expect(results.uint8Array).toMatchObject({ method: 'PATCH', bodyLength: 10, contentType: null })
  expect([...bytesOf(results.uint8Array!)]).toEqual(Array.from({ length: 10 }, (_, i) => ((i + 10) * 7) % 256))
  expect([...bytesOf(results.dataView!)]).toEqual(Array.from({ length: 5 }, (_, i) => ((i + 100) * 7) % 256))
  expect(results.blob).toMatchObject({ method: 'POST', bodyLength: 5 + 256, contentType: 'image/png' })
  expect([...bytesOf(results.blob!)]).toEqual([...Buffer.from('blob '), ...Array.from({ length: 256 }, (_, i) => i)])
  expect(results.urlSearchParams).toMatchObject({ contentType: 'application/x-www-form-urlencoded;charset=UTF-8' })
  expect(bytesOf(results.urlSearchParams!).toString('utf8')).toBe('a=1&b=two+words&c=%C3%A9%26%3D')

  const multipart = results.formData!
  const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(multipart.contentType ?? '')?.[1]
  expect(boundary, multipart.contentType ?? 'no content type').toBeTruthy()
  const body = bytesOf(multipart)
  expect(body.toString('latin1')).toContain(`--${boundary}`)
  expect(body.toString('utf8')).toContain('Content-Disposition: form-data; name="field"\r\n\r\nvälue\r\n')
  expect(body.toString('latin1')).toContain(
    'Content-Disposition: form-data; name="file"; filename="hello.bin"\r\nContent-Type: application/x-bin\r\n\r\n',
  )
  expect(body.includes(Buffer.concat([Buffer.from([0, 1, 2, 253, 254, 255]), Buffer.from('tail\r\n')]))).toBe(true)
  expect(body.toString('latin1').trimEnd().endsWith(`--${boundary}--`)).toBe(true)

  expect(results.deleteWithBody).toMatchObject({ method: 'DELETE', contentType: 'application/json' })
  expect(bytesOf(results.deleteWithBody!).toString()).toBe('{"id":1}')
  expect(results.explicitType).toMatchObject({ contentType: 'application/vnd.test+json' })
  expect(results.stream).toMatchObject({ method: 'POST' })
  expect(bytesOf(results.stream!).toString()).toBe('streamed body')
  expect(results.request).toMatchObject({ method: 'PUT', contentType: 'text/plain;charset=UTF-8' })
  expect(bytesOf(results.request!).toString()).toBe('from a Request')
})

test('response status, statusText, headers and body survive; null-body statuses give body null', async ({
  signedIn: page,
}) => {
  const responses = await page.evaluate(async () => {
    const session = window.session
    const out: Record<string, unknown> = {}
    for (const code of [200, 201, 204, 304, 404, 409, 503]) {
      const response: Response = await session.fetch(`/api/status/${code}`)
      out[code] = {
        isResponse: response instanceof Response,
        type: response.type,
        status: response.status,
        statusText: response.statusText,
        ok: response.ok,
        url: response.url,
        redirected: response.redirected,
        xStatus: response.headers.get('x-status'),
        contentType: response.headers.get('content-type'),
        cacheControl: response.headers.get('cache-control'),
        bodyIsNull: response.body === null,
        text: await response.text(),
      }
    }
    return out
  })
  const expected: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    204: 'No Content',
    304: 'Not Modified',
    404: 'Not Found',
    409: 'Conflict',
    503: 'Service Unavailable',
  }
  for (const [code, statusText] of Object.entries(expected)) {
    const status = Number(code)
    const nullBody = status === 204 || status === 304
    expect(responses[code], code).toEqual({
      isResponse: true,
      type: 'basic',
      status,
      statusText,
      ok: status >= 200 && status < 300,
      url: `${ORIGIN}/api/status/${code}`,
      redirected: false,
      xStatus: code,
      contentType: nullBody ? null : 'application/json; charset=utf-8',
      cacheControl: 'no-store',
      bodyIsNull: nullBody,
      text: nullBody ? '' : JSON.stringify({ status }),
    })
  }
})

test('a 1 MB binary response arrives intact', async ({ signedIn: page }) => {
  const n = 1_048_576
  const result = await page.evaluate(async size => {
    const response: Response = await window.session.fetch(`/api/bytes?n=${size}`)
    const bytes = new Uint8Array(await response.arrayBuffer())
    let mismatches = 0
    let firstMismatch = -1
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== i % 251) {
        mismatches++
        if (firstMismatch < 0) firstMismatch = i
      }
    }
    return {
      status: response.status,
      length: bytes.length,
      contentLength: response.headers.get('content-length'),
      contentType: response.headers.get('content-type'),
      mismatches,
      firstMismatch,
    }
  }, n)
  expect(result).toEqual({
    status: 200,
    length: n,
    contentLength: String(n),
    contentType: 'application/octet-stream',
    mismatches: 0,
    firstMismatch: -1,
  })
})

test('an AbortSignal aborts: already aborted, and during the request', async ({ server, signedIn: page, request }) => {
  // Already aborted: rejects AbortError, nothing is sent.
  const apiBefore = (await server.counters()).api
  const early = await page.evaluate(async () => {
    const controller = new AbortController()
    controller.abort()
    try {
      await window.session.fetch('/api/me', { signal: controller.signal })
      return 'resolved'
    } catch (error) {
      return { name: (error as Error | undefined)?.name, isDomException: error instanceof DOMException }
    }
  })
  expect(early).toEqual({ name: 'AbortError', isDomException: true })
  // A Request's own signal counts too.
  const viaRequest = await page.evaluate(async () => {
    const controller = new AbortController()
    controller.abort()
    try {
      await window.session.fetch(new Request('/api/me', { signal: controller.signal }))
      return 'resolved'
    } catch (error) {
      return (error as Error | undefined)?.name
    }
  })
  expect(viaRequest).toBe('AbortError')
  expect((await server.counters()).api).toBe(apiBefore)

  // During: the server holds the answer, the page aborts; the server sees the connection go.
  // (Checked at the server, not through Playwright's network events, which miss worker requests in Firefox.)
  const id = `abort-${Date.now()}`
  await page.evaluate(path => {
    const controller = new AbortController()
    window.__abort = () => controller.abort()
    window.__pending = window.session.fetch(path, { signal: controller.signal }).then(
      (response: Response) => `resolved ${response.status}`,
      (error: Error | undefined) => error?.name,
    )
  }, `/test/hold?id=${id}`)
  const held = async () =>
    (await (await request.get(`/test/abandoned?id=${id}`)).json()) as { arrived: boolean; abandoned: boolean }
  await expect.poll(async () => (await held()).arrived).toBe(true)
  const started = Date.now()
  const during = await page.evaluate(async () => {
    window.__abort!()
    return window.__pending
  })
  expect(during).toBe('AbortError')
  expect(Date.now() - started).toBeLessThan(2_000)
  // The abort reached the worker's own fetch: the browser dropped the held request.
  await expect.poll(async () => (await held()).abandoned, { timeout: 3_000 }).toBe(true)

  // An abort is not an error of the session: it goes on.
  expect(await state(page)).toBe('authenticated')
  expect((await vaultFetch(page, '/api/me')).value?.status).toBe(200)
})

test("the redirect option is honoured: 'follow', 'error', and 'manual' (status 0, like fetch's opaque redirect)", async ({
  signedIn: page,
}) => {
  const to = `${ORIGIN}/api/echo`
  const url = `/test/redirect?to=${encodeURIComponent(to)}&status=302`
  const outcome = await page.evaluate(async u => {
    const session = window.session
    const run = async (init: RequestInit) => {
      try {
        const response: Response = await session.fetch(u, init)
        return {
          status: response.status,
          type: response.type,
          ok: response.ok,
          redirected: response.redirected,
          url: response.url,
          bodyIsNull: response.body === null,
        }
      } catch (caught) {
        const error = caught as { name?: string; code?: string; message?: string } | undefined
        return { error: error?.name, code: error?.code, message: error?.message }
      }
    }
    return { follow: await run({}), error: await run({ redirect: 'error' }), manual: await run({ redirect: 'manual' }) }
  }, url)
  // Followed within the trusted origin: the token went along, the final URL is reported.
  expect(outcome.follow).toEqual({ status: 200, type: 'basic', ok: true, redirected: true, url: to, bodyIsNull: false })
  expect(outcome.error).toMatchObject({ error: 'TypeError' })
  expect(outcome.manual).toMatchObject({ status: 0, type: 'opaqueredirect', ok: false, bodyIsNull: true })
  expect(await state(page)).toBe('authenticated')
})
