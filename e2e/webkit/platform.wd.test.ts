// What WebKitGTK offers of the platform the SDK relies on, measured in the
// browser under test (the README's "Browsers" table cites these), and the
// back/forward cache behaviour around a signed-in page.
import { describe, expect, test } from 'vitest'
import { useWebKit } from './driver.js'

const wk = useWebKit()

describe('WebKit: platform', () => {
  test('page and worker have what the vault needs', async () => {
    await wk.go('/e2e/webkit/blank.html')
    const page = (await wk.run(() => window.svScenarios.platform())) as Record<string, unknown>
    const worker = await wk.run(
      () =>
        new Promise((resolve, reject) => {
          // blank.html has the demo's CSP with Trusted Types, and no SDK: this policy name is free here.
          const policy = window.trustedTypes!.createPolicy('session-vault', { createScriptURL: (url: string) => url })
          const probe = new Worker(policy.createScriptURL('/e2e/webkit/probe-worker.js'))
          probe.onmessage = event => {
            probe.terminate()
            resolve(event.data)
          }
          probe.onerror = () => reject(new Error('probe worker failed'))
        }),
    )
    const crypto = await wk.run(async () => {
      const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'sign',
        'verify',
      ])
      const signature = await globalThis.crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.privateKey,
        new Uint8Array([1]),
      )
      const exported = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey).then(
        () => true,
        () => false,
      )
      return { signatureBytes: signature.byteLength, privateExportable: exported }
    })
    console.log(`WebKit platform: ${JSON.stringify({ page, worker, crypto })}`)
    expect(page).toMatchObject({
      secureContext: true,
      locks: true,
      broadcastChannel: true,
      trustedTypes: true,
      requestBody: true,
      indexedDBDatabases: true,
      cryptoSubtle: true,
      // WebKit cannot transfer a ReadableStream (DataCloneError): the vault sends bodies as ArrayBuffers.
      transferableStreams: false,
    })
    expect(worker).toEqual({
      locks: true,
      broadcastChannel: true,
      indexedDB: true,
      cryptoSubtle: true,
      abortSignalTimeout: true,
      requestBody: true,
    })
    expect(crypto).toEqual({ signatureBytes: 64, privateExportable: false })
  })

  test('back/forward cache: a signed-in page with its vault is restored from the cache and still works', async () => {
    await wk.signedIn()
    await wk.run(() => {
      window.marker = 'before'
      addEventListener('pageshow', event => (window.shown = { persisted: event.persisted }))
    })
    await wk.go('/e2e/webkit/blank.html')
    await wk.driver.navigate().back()
    await wk.waitInPage(() => document.readyState === 'complete')
    const restored = (await wk.run(() => ({ marker: window.marker ?? null, shown: window.shown ?? null }))) as {
      marker: string | null
      shown: { persisted: boolean } | null
    }
    // Measured: WebKitGTK keeps a page with a live dedicated worker in the back/forward cache (Chromium
    // evicts it), and the vault there still answers. A logout while it sits in the cache is the SDK's pageshow case.
    expect(restored).toEqual({ marker: 'before', shown: { persisted: true } })
    expect((await wk.vaultFetch('/api/me')).value?.status).toBe(200)
  })
})
