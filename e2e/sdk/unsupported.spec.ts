import { expect, test } from '@playwright/test'
import { openHarness, TOKEN_AUTH } from '../support/harness.js'

// A browser that lacks what the vault cannot work without gets ERR_UNSUPPORTED naming it,
// at createSession, before any worker starts: never a session that half-works.
for (const api of ['BroadcastChannel', 'Worker'] as const) {
  test(`without ${api}, createSession throws ERR_UNSUPPORTED naming it and starts no worker`, async ({ page }) => {
    await openHarness(page)
    const outcome = await page.evaluate(
      ([name, auth]) => {
        const workers: unknown[] = []
        const RealWorker = window.Worker
        delete (window as unknown as Record<string, unknown>)[name]
        if (name !== 'Worker')
          window.Worker = class extends RealWorker {
            constructor(...args: ConstructorParameters<typeof Worker>) {
              super(...args)
              workers.push(args)
            }
          }
        return window
          .attempt(() => window.SessionVault.createSession({ auth, dialog: false }))
          .then(result => ({ result, workers: workers.length }))
      },
      [api, TOKEN_AUTH] as const,
    )
    expect(outcome.result).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_UNSUPPORTED' } })
    expect(outcome.result.error?.message).toContain(api)
    expect(outcome.workers).toBe(0)
  })
}
