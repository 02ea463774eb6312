// Issue 15: session.fetch responses stream (Chromium and Firefox hand the body over as a
// transferred ReadableStream). WebKit, over the MessagePort fallback: e2e/webkit/streaming.wd.test.ts.
import { expect, test } from '../support/fixtures.js'
import { signIn, VAULT_WITH_HOOKS, vaultHook } from '../support/harness.js'
import { playwrightTab } from '../support/scenario.js'
import {
  chunksAsTheyArrive,
  crashEndsStream,
  largeDownload,
  logoutEndsStream,
  stopMidStream,
} from '../support/stream-scenarios.js'

test('a streamed answer reaches the page chunk by chunk, before the server has finished', async ({
  server,
  signedIn: page,
}) => {
  await chunksAsTheyArrive(playwrightTab(page, server), expect)
})

for (const how of ['abortStream', 'cancelStream'] as const) {
  test(`${how === 'abortStream' ? 'an AbortSignal' : 'reader.cancel()'} mid-stream stops the server's stream`, async ({
    server,
    signedIn: page,
  }) => {
    await stopMidStream(playwrightTab(page, server), expect, how)
  })
}

test('a logout mid-stream ends the stream in the page and at the server', async ({ server, signedIn: page }) => {
  await logoutEndsStream(playwrightTab(page, server), expect, () => page.evaluate(() => window.session.logout()))
})

test('the vault crashes mid-stream: the stream fails ERR_VAULT_CRASHED, the session ends, the server sees it go', async ({
  server,
  page,
}) => {
  await signIn(page, { workerUrl: VAULT_WITH_HOOKS })
  await crashEndsStream(playwrightTab(page, server), expect, () => vaultHook(page, { do: 'throw' }))
})

test('a 50 MB download through the vault arrives whole, with the right SHA-256', async ({ server, signedIn: page }) => {
  test.setTimeout(60_000)
  await largeDownload(playwrightTab(page, server), expect)
})
