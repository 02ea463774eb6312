import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import {
  events,
  login,
  openHarness,
  signIn,
  startSession,
  state,
  VAULT_WITH_HOOKS,
  vaultHook,
} from '../support/harness.js'
import { SDK_VAULT_START_MS, SDK_WATCHDOG_MS } from '../support/timeouts.js'

type Outcome = { ok: boolean; value?: unknown; error?: { name: string; code: string; message: string } }

const fetchMe = (page: Page): Promise<Outcome> =>
  page.evaluate(() => window.attempt(async () => (await window.session.fetch('/api/me')).status))

const logoutReasons = async (page: Page) => (await events(page, 'logout')).map(e => e.payload.reason)

for (const [name, workerUrl] of [
  ['cannot load (404)', '/does-not-exist.js'],
  ['throws at start', '/test/workers/throw.js'],
  ['never answers (start timeout)', '/test/workers/hang.js'],
] as const) {
  test(`a vault that ${name}: ready rejects ERR_VAULT_CRASHED, session ended with reason error`, async ({
    server,
    page,
  }) => {
    await openHarness(page)
    const started = Date.now()
    const result = await startSession(page, { workerUrl })
    const took = Date.now() - started
    expect(result).toMatchObject({ state: 'ended', error: { name: 'SessionVaultError', code: 'ERR_VAULT_CRASHED' } })
    if (workerUrl.endsWith('hang.js')) expect(took).toBeGreaterThanOrEqual(SDK_VAULT_START_MS - 1_000)
    else expect(took).toBeLessThan(5_000)
    await expect.poll(() => logoutReasons(page)).toEqual(['error'])
    expect((await events(page, 'logout'))[0]!.payload).toEqual({ reason: 'error', serverConfirmed: false })
    expect(await events(page, 'authenticated')).toEqual([])

    // Fail closed: fetch and login refuse, nothing is sent from the main thread instead.
    const before = await server.counters()
    const fetched = await fetchMe(page)
    expect(fetched).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_VAULT_CRASHED' } })
    const refused = await login(page)
    expect(refused).toMatchObject({ ok: false, error: { name: 'SessionVaultError' } })
    expect(refused.error?.code).toBe('ERR_VAULT_CRASHED')
    const after = await server.counters()
    expect(after.api).toBe(before.api)
    expect(after.login).toBe(before.login)
    expect(await state(page)).toBe('ended')
  })
}

test('the vault stops answering after sign-in: the next fetch rejects, the session ends (error), no fallback', async ({
  server,
  page,
}) => {
  test.setTimeout(30_000)
  await signIn(page, { workerUrl: VAULT_WITH_HOOKS })
  expect(await fetchMe(page)).toEqual({ ok: true, value: 200 })
  const before = await server.counters()

  // The worker closes itself: no error event, it just goes silent. Only the watchdog ping can tell.
  await vaultHook(page, { do: 'close' })
  const started = Date.now()
  const inFlight = await fetchMe(page)
  const took = Date.now() - started
  expect(inFlight).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_VAULT_CRASHED' } })
  expect(took).toBeLessThan(SDK_WATCHDOG_MS)
  expect(await state(page)).toBe('ended')
  await expect.poll(() => logoutReasons(page)).toEqual(['error'])

  const later = await fetchMe(page)
  expect(later).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_VAULT_CRASHED' } })
  // Nothing fell back to the main thread: the API never saw those requests.
  expect((await server.counters()).api).toBe(before.api)
})

test('the vault throws an uncaught error after sign-in: the session ends at once (error), no fallback', async ({
  server,
  page,
}) => {
  await signIn(page, { workerUrl: VAULT_WITH_HOOKS })
  const before = await server.counters()

  await vaultHook(page, { do: 'throw' })
  await expect.poll(() => state(page)).toBe('ended')
  await expect.poll(() => logoutReasons(page)).toEqual(['error'])
  const fetched = await fetchMe(page)
  expect(fetched).toMatchObject({ ok: false, error: { name: 'SessionVaultError', code: 'ERR_VAULT_CRASHED' } })
  expect((await server.counters()).api).toBe(before.api)
})
