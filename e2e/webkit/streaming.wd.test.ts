// Streamed session.fetch responses in WebKit, which cannot transfer a ReadableStream: the chunks
// come over a MessagePort, as the page asks for them (Chromium and Firefox: e2e/sdk/streaming.spec.ts).
import { describe, expect, test } from 'vitest'
import { VAULT_WITH_HOOKS } from '../support/harness.js'
import {
  chunksAsTheyArrive,
  crashEndsStream,
  largeDownload,
  logoutEndsStream,
  stopMidStream,
} from '../support/stream-scenarios.js'
import { useWebKit, webkitTab } from './driver.js'

const wk = useWebKit()

describe('WebKit: streamed responses', () => {
  test('the engine has no transferable streams, so this is the MessagePort path', async () => {
    await wk.signedIn()
    expect((await webkitTab(wk).step<{ transferableStreams: boolean }>('platform')).transferableStreams).toBe(false)
  })

  test('chunk by chunk, before the server has finished', async () => {
    await wk.signedIn()
    await chunksAsTheyArrive(webkitTab(wk), expect)
  })

  test.each(['abortStream', 'cancelStream'] as const)('%s mid-stream stops the server', async how => {
    await wk.signedIn()
    await stopMidStream(webkitTab(wk), expect, how)
  })

  test('a logout mid-stream ends it in the page and at the server', async () => {
    await wk.signedIn()
    await logoutEndsStream(webkitTab(wk), expect, () => wk.run(() => window.session.logout()))
  })

  test('the vault crashes mid-stream: ERR_VAULT_CRASHED, the session ends, the server sees it', async () => {
    await wk.signedIn({ workerUrl: VAULT_WITH_HOOKS })
    await crashEndsStream(webkitTab(wk), expect, () =>
      wk.run(() => {
        const channel = new BroadcastChannel('session-vault-test-hooks')
        channel.postMessage({ do: 'throw' })
        channel.close()
      }),
    )
  })

  test('a 50 MB download arrives whole, with the right SHA-256', { timeout: 60_000 }, async () => {
    await wk.signedIn()
    await largeDownload(webkitTab(wk), expect)
  })
})
