// `session.fetch` scenarios that every engine must pass, written once: e2e/sdk/fetch.spec.ts
// runs them in Chromium and Firefox, e2e/webkit/fetch.wd.test.ts in WebKit. Each takes a
// signed-in Tab and the runner's expect (support/tab.ts); the page-side halves are steps of
// support/scenarios.js (bodyTypes, statuses, abortedBeforeSend, startAbortable, redirectModes).
import type { Expect, Tab } from './tab.js'

/** What /api/echo answers: the request as the server received it. */
export interface Echo {
  method: string
  headers: Record<string, string | boolean>
  bodyBase64: string
  bodyLength: number
  contentType: string | null
}

export const bytesOf = (echo: Echo): Buffer => Buffer.from(echo.bodyBase64, 'base64')

/** GET /api/me through the vault after sign-in; the page heard one token-free `authenticated` event. */
export async function fetchAfterSignIn(tab: Tab, expect: Expect): Promise<void> {
  expect(await tab.state()).toBe('authenticated')
  const me = await tab.vaultFetch('/api/me')
  expect(me.ok, JSON.stringify(me.error)).toBe(true)
  expect(me.value!.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({ username: 'alice' })
  const authenticated = await tab.events('authenticated')
  expect(authenticated).toHaveLength(1)
  expect(Object.keys(authenticated[0]!.payload).sort()).toEqual(['authenticated', 'expiresAt'])
}

/** Every body type (string, buffers, views, Blob, URLSearchParams, FormData, a Request...) reaches the server intact. */
export async function everyBodyType(tab: Tab, expect: Expect): Promise<void> {
  const { head, ...results } = await tab.step<Record<string, Echo> & { head: { status: number } }>('bodyTypes')

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
  expect(results.request).toMatchObject({ method: 'PUT', contentType: 'text/plain;charset=UTF-8' })
  expect(bytesOf(results.request!).toString()).toBe('from a Request')
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  404: 'Not Found',
  409: 'Conflict',
  503: 'Service Unavailable',
}

/** Status, statusText, headers and body of each answer survive; 204 and 304 give `body === null`. */
export async function responsesSurvive(tab: Tab, expect: Expect): Promise<void> {
  const codes = Object.keys(STATUS_TEXT).map(Number)
  const responses = await tab.step<Record<string, unknown>>('statuses', codes)
  for (const code of codes) {
    const nullBody = code === 204 || code === 304
    expect(responses[code], String(code)).toEqual({
      isResponse: true,
      type: 'basic',
      status: code,
      statusText: STATUS_TEXT[code],
      ok: code >= 200 && code < 300,
      url: `${tab.origin}/api/status/${code}`,
      redirected: false,
      xStatus: String(code),
      contentType: nullBody ? null : 'application/json; charset=utf-8',
      cacheControl: 'no-store',
      bodyIsNull: nullBody,
      text: nullBody ? '' : JSON.stringify({ status: code }),
    })
  }
}

/** An already-aborted signal, in init or on a Request, rejects with an AbortError DOMException; nothing is sent. */
export async function abortBeforeSending(tab: Tab, expect: Expect): Promise<void> {
  const apiBefore = (await tab.server.counters()).api
  expect(await tab.step('abortedBeforeSend')).toEqual({
    init: { name: 'AbortError', isDomException: true },
    request: { name: 'AbortError', isDomException: true },
  })
  expect((await tab.server.counters()).api).toBe(apiBefore)
}

/** A request the runner holds on its way to the server, and how the runner sees it. */
export interface HeldOnTheWire {
  /** The URL the page fetches (a path of the origin). */
  url: string
  /** Resolves once the request reached the holder. */
  reached(): Promise<void>
  /** Whether the browser dropped the held request (waiting a few seconds for it). */
  dropped(): Promise<boolean>
}

/** Aborting while the request is on the wire: AbortError at once, the browser drops the request, the session goes on. */
export async function abortOnTheWire(tab: Tab, expect: Expect, held: HeldOnTheWire): Promise<void> {
  await tab.step('startAbortable', held.url)
  await held.reached()
  const started = Date.now()
  expect(await tab.step('abortPending')).toBe('AbortError')
  expect(Date.now() - started).toBeLessThan(2_000)
  // The abort reached the worker's own fetch.
  expect(await held.dropped(), 'the browser cancelled the request on the wire').toBe(true)
  // An abort is not an error of the session: it goes on.
  expect(await tab.state()).toBe('authenticated')
  expect((await tab.vaultFetch('/api/me')).value?.status).toBe(200)
}

/**
 * A ReadableStream request body is handed to the vault's fetch unbuffered (`duplex: 'half'`): it
 * arrives whole, or fails as a direct fetch of it fails (Chromium streams uploads over HTTP/2 only,
 * so the reference server's HTTP/1.1 refuses it both ways); where the engine cannot send or hand
 * over a stream, `ERR_UNSUPPORTED` (Firefox would send the text "[object ReadableStream]").
 */
export async function streamRequestBody(tab: Tab, expect: Expect): Promise<void> {
  const outcome = await tab.step<{
    ok: boolean
    engine: { requestStreams: boolean; transfersStreams: boolean; direct: string }
    value?: { status: number; echo: Echo }
    error?: { name: string; code?: string }
  }>('streamBody')
  const { engine } = outcome
  if (!engine.requestStreams || !engine.transfersStreams) {
    expect(outcome.error, JSON.stringify(outcome)).toMatchObject({ code: 'ERR_UNSUPPORTED' })
  } else if (engine.direct !== 'sent') {
    expect(outcome.error?.name, JSON.stringify(outcome)).toBe(engine.direct)
  } else {
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true)
    expect(outcome.value!.echo.headers.authorization, 'stream: token attached in the vault').toBe(true)
    expect(bytesOf(outcome.value!.echo).toString()).toBe('streamed body')
  }
}

/** redirect 'follow' (the token kept within the trusted origin), 'error' (TypeError), 'manual' (opaque redirect, status 0). */
export async function redirectModes(tab: Tab, expect: Expect): Promise<void> {
  const to = `${tab.origin}/api/echo`
  const outcome = await tab.step<Record<string, unknown>>(
    'redirectModes',
    `/test/redirect?to=${encodeURIComponent(to)}&status=302`,
  )
  // Followed within the trusted origin: the token went along, the final URL is reported.
  expect(outcome.follow).toEqual({ status: 200, type: 'basic', ok: true, redirected: true, url: to, bodyIsNull: false })
  expect(outcome.error).toMatchObject({ error: 'TypeError' })
  expect(outcome.manual).toMatchObject({ status: 0, type: 'opaqueredirect', ok: false, bodyIsNull: true })
  expect(await tab.state()).toBe('authenticated')
}
