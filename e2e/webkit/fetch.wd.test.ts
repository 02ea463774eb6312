// Sign-in and session.fetch in WebKit: the scenarios every engine runs
// (e2e/support/fetch-scenarios.ts; Chromium and Firefox: e2e/sdk/fetch.spec.ts),
// then what is WebKit's own: a streaming request body may be refused.
import { describe, expect, test } from 'vitest'
import {
  abortBeforeSending,
  abortOnTheWire,
  everyBodyType,
  fetchAfterSignIn,
  redirectModes,
  responsesSurvive,
  streamRequestBody,
} from '../support/fetch-scenarios.js'
import { useWebKit, webkitTab } from './driver.js'

const wk = useWebKit()

describe('WebKit: sign-in and fetch', () => {
  test('sign in, then GET /api/me through the vault; the page learns only token-free info', async () => {
    await wk.signedIn()
    await fetchAfterSignIn(webkitTab(wk), expect)
    expect(await wk.run(() => Object.keys(window.session.info).sort())).toEqual(['authenticated', 'expiresAt'])
  })

  test('request method, headers and body survive for every body type', async () => {
    await wk.signedIn()
    await everyBodyType(webkitTab(wk), expect)
  })

  test('a streaming request body is refused with ERR_UNSUPPORTED (WebKit cannot hand a stream to the worker)', async () => {
    await wk.signedIn()
    await streamRequestBody(webkitTab(wk), expect)
    expect(await wk.state()).toBe('authenticated')
  })

  test('response status, statusText, headers and body survive; 204 and 304 give body null', async () => {
    await wk.signedIn()
    await responsesSurvive(webkitTab(wk), expect)
  })

  test('an AbortSignal aborts: already aborted (nothing sent), and while the request is on the wire', async () => {
    await wk.signedIn()
    await abortBeforeSending(webkitTab(wk), expect)
    // The proxy holds the vault's request on its way to the server; abort it there. WebKit closes the held request.
    const held = wk.proxy.hold(/^\/api\/bytes\?n=4096$/)
    try {
      await abortOnTheWire(webkitTab(wk), expect, {
        url: '/api/bytes?n=4096',
        reached: () => held.reached,
        dropped: () =>
          Promise.race([held.aborted, new Promise<boolean>(resolve => setTimeout(() => resolve(false), 3_000))]),
      })
    } finally {
      held.remove()
    }
  })

  test("redirect modes: 'follow' (token kept on the trusted origin), 'error' (TypeError), 'manual' (opaque redirect)", async () => {
    await wk.signedIn()
    await redirectModes(webkitTab(wk), expect)
  })
})
