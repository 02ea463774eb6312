// Sign-in and session.fetch in WebKit: every body type, null-body statuses,
// abort (before sending and on the wire), the redirect modes.
import { describe, expect, test } from 'vitest'
import { useWebKit } from './driver.js'

const wk = useWebKit()

interface Echo {
  method: string
  headers: Record<string, string | boolean>
  bodyBase64: string
  bodyLength: number
  contentType: string | null
}

const bytesOf = (echo: Echo) => Buffer.from(echo.bodyBase64, 'base64')

describe('WebKit: sign-in and fetch', () => {
  test('sign in, then GET /api/me through the vault; the page learns only token-free info', async () => {
    await wk.signedIn()
    const me = await wk.vaultFetch('/api/me')
    expect(me.ok, JSON.stringify(me.error)).toBe(true)
    expect(me.value!.status).toBe(200)
    expect(JSON.parse(me.value!.text)).toMatchObject({ username: 'alice' })
    const authenticated = await wk.events('authenticated')
    expect(authenticated).toHaveLength(1)
    expect(Object.keys(authenticated[0]!.payload).sort()).toEqual(['authenticated', 'expiresAt'])
    expect(await wk.run(() => Object.keys(window.session.info).sort())).toEqual(['authenticated', 'expiresAt'])
  })

  test('request method, headers and body survive for every body type', async () => {
    await wk.signedIn()
    const { head, ...results } = (await wk.run(() => window.svScenarios.bodyTypes())) as Record<string, Echo> & {
      head: { status: number }
    }

    for (const [name, echo] of Object.entries(results)) {
      expect(echo.headers.authorization, `${name}: token attached in the vault`).toBe(true)
      expect(echo.headers.cookie, name).toBeUndefined()
    }
    for (const name of ['get', 'getRequest', 'string', 'arrayBuffer', 'uint8Array', 'blob', 'formData', 'request']) {
      expect(results[name]!.headers['x-custom'], name).toBe('custom value')
      expect(results[name]!.headers.accept, name).toBe('application/x-test')
      expect(results[name]!.headers['x-multi'], name).toBe('one, two')
    }
    // GET and HEAD go out without a body (a Request input too).
    expect(results.get).toMatchObject({ method: 'GET', bodyLength: 0, contentType: null })
    expect(results.getRequest).toMatchObject({ method: 'GET', bodyLength: 0, contentType: null })
    expect(typeof head.status).toBe('number')

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
    expect(results.json).toMatchObject({ method: 'POST', contentType: 'application/json' })
    expect(JSON.parse(bytesOf(results.json!).toString('utf8'))).toEqual({ text: 'ünïcode ✓', n: 1 })

    const multipart = results.formData!
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(multipart.contentType ?? '')?.[1]
    expect(boundary, multipart.contentType ?? 'no content type').toBeTruthy()
    const body = bytesOf(multipart)
    expect(body.toString('utf8')).toContain('Content-Disposition: form-data; name="field"\r\n\r\nvälue\r\n')
    expect(body.toString('latin1')).toContain(
      'Content-Disposition: form-data; name="file"; filename="hello.bin"\r\nContent-Type: application/x-bin\r\n\r\n',
    )
    expect(body.includes(Buffer.concat([Buffer.from([0, 1, 2, 253, 254, 255]), Buffer.from('tail\r\n')]))).toBe(true)
    expect(body.toString('latin1').trimEnd().endsWith(`--${boundary}--`)).toBe(true)

    expect(results.deleteWithBody).toMatchObject({ method: 'DELETE', contentType: 'application/json' })
    expect(bytesOf(results.deleteWithBody!).toString()).toBe('{"id":1}')
    expect(results.request).toMatchObject({ method: 'PUT', contentType: 'text/plain;charset=UTF-8' })
    expect(bytesOf(results.request!).toString()).toBe('from a Request')
  })

  test('a streaming request body is refused or sent, never half-sent (WebKit has no request streams)', async () => {
    await wk.signedIn()
    const outcome = await wk.run(async () => {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('streamed body'))
          controller.close()
        },
      })
      return window.attempt(async () => {
        const response: Response = await window.session.fetch('/api/echo', {
          method: 'POST',
          body: stream,
          duplex: 'half',
        })
        const echo = await response.json()
        return { status: response.status, bodyLength: echo.bodyLength }
      })
    })
    // Either the whole body went through, or the call failed: never an empty or truncated body.
    if (outcome.ok) expect(outcome.value).toEqual({ status: 200, bodyLength: 13 })
    else expect(outcome.error?.name).toMatch(/TypeError|NotSupportedError|SessionVaultError/)
    expect(await wk.state()).toBe('authenticated')
  })

  test('response status, statusText and body survive; 204 and 304 give body null', async () => {
    await wk.signedIn()
    const codes = [200, 201, 204, 304, 404, 503]
    const responses = (await wk.run(c => window.svScenarios.statuses(c), codes)) as Record<
      string,
      Record<string, unknown>
    >
    const statusText: Record<number, string> = {
      200: 'OK',
      201: 'Created',
      204: 'No Content',
      304: 'Not Modified',
      404: 'Not Found',
      503: 'Service Unavailable',
    }
    for (const code of codes) {
      const nullBody = code === 204 || code === 304
      expect(responses[code], String(code)).toEqual({
        isResponse: true,
        type: 'basic',
        status: code,
        statusText: statusText[code],
        ok: code >= 200 && code < 300,
        url: `${wk.origin}/api/status/${code}`,
        redirected: false,
        xStatus: String(code),
        bodyIsNull: nullBody,
        text: nullBody ? '' : JSON.stringify({ status: code }),
      })
    }
  })

  test('an AbortSignal aborts: already aborted (nothing sent), and while the request is on the wire', async () => {
    await wk.signedIn()
    const apiBefore = (await wk.server.counters()).api
    expect(await wk.run(() => window.svScenarios.abortedBeforeSend())).toEqual({
      init: { name: 'AbortError', isDomException: true },
      request: { name: 'AbortError', isDomException: true },
    })
    expect((await wk.server.counters()).api).toBe(apiBefore)

    // The proxy holds the vault's request on its way to the server; abort it there.
    const held = wk.proxy.hold(/^\/api\/bytes\?n=4096$/)
    try {
      await wk.run(() => window.svScenarios.startAbortable('/api/bytes?n=4096'))
      await held.reached
      const started = Date.now()
      expect(await wk.run(() => window.svScenarios.abortPending())).toBe('AbortError')
      expect(Date.now() - started).toBeLessThan(2_000)
      // The abort reached the worker's own fetch: WebKit closed the held request.
      const aborted = await Promise.race([
        held.aborted,
        new Promise<string>(resolve => setTimeout(() => resolve('still open'), 3_000)),
      ])
      expect(aborted, 'the browser cancelled the request on the wire').toBe(true)
    } finally {
      held.remove()
    }
    // An abort is not an error of the session.
    expect(await wk.state()).toBe('authenticated')
    expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)
  })

  test("redirect modes: 'follow' (token kept on the trusted origin), 'error' (TypeError), 'manual' (opaque redirect)", async () => {
    await wk.signedIn()
    const to = `${wk.origin}/api/echo`
    const outcome = (await wk.run(
      u => window.svScenarios.redirectModes(u),
      `/test/redirect?to=${encodeURIComponent(to)}&status=302`,
    )) as Record<string, unknown>
    expect(outcome.follow).toEqual({
      status: 200,
      type: 'basic',
      ok: true,
      redirected: true,
      url: to,
      bodyIsNull: false,
    })
    expect(outcome.error).toMatchObject({ error: 'TypeError' })
    expect(outcome.manual).toMatchObject({ status: 0, type: 'opaqueredirect', ok: false, bodyIsNull: true })
    expect(await wk.state()).toBe('authenticated')
  })
})
