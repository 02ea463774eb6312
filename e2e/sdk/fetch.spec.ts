import {
  abortBeforeSending,
  abortOnTheWire,
  everyBodyType,
  fetchAfterSignIn,
  redirectModes,
  responsesSurvive,
  streamRequestBody,
} from '../support/fetch-scenarios.js'
import { expect, test } from '../support/fixtures.js'
import { playwrightTab } from '../support/scenario.js'
import { poll } from '../support/tab.js'

// The scenarios every engine runs (support/fetch-scenarios.ts; WebKit: e2e/webkit/fetch.wd.test.ts),
// then what only Chromium and Firefox can show.

test('sign in, fetch /api/me through the vault', async ({ server, signedIn: page }) => {
  await fetchAfterSignIn(playwrightTab(page, server), expect)
})

// ---------------------------------------------------------------------------
// Request/response fidelity through the vault (/api/echo, /api/status, /api/bytes).

test('request method, headers and body survive for every body type, a request stream too', async ({
  server,
  signedIn: page,
}) => {
  const tab = playwrightTab(page, server)
  await everyBodyType(tab, expect)
  await streamRequestBody(tab, expect)
})

test('response status, statusText, headers and body survive; null-body statuses give body null', async ({
  server,
  signedIn: page,
}) => {
  await responsesSurvive(playwrightTab(page, server), expect)
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
  const tab = playwrightTab(page, server)
  await abortBeforeSending(tab, expect)
  // During: the server holds the answer, the page aborts; the server sees the connection go.
  // (Checked at the server, not through Playwright's network events, which miss worker requests in Firefox.)
  const id = `abort-${Date.now()}`
  const held = async () =>
    (await (await request.get(`/test/abandoned?id=${id}`)).json()) as { arrived: boolean; abandoned: boolean }
  await abortOnTheWire(tab, expect, {
    url: `/test/hold?id=${id}`,
    reached: () => expect.poll(async () => (await held()).arrived).toBe(true),
    dropped: async () => (await poll(held, h => h.abandoned, 3_000)).abandoned,
  })
})

test("the redirect option is honoured: 'follow', 'error', and 'manual' (status 0, like fetch's opaque redirect)", async ({
  server,
  signedIn: page,
}) => {
  await redirectModes(playwrightTab(page, server), expect)
})
