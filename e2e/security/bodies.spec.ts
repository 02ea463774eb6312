// Issue 16, item 6: bounded response bodies (`maxBodyBytes`) and an optional
// per-request timeout (`requestTimeout`), both typed errors that stop the
// request. Uses /test/endless and /test/stall (demo/server/routes/test-support-sdk.mjs).
import type { APIRequestContext, Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { signIn, vaultFetch } from '../support/harness.js'
import { ORIGIN } from '../support/server.js'
import { PROMPT_MS } from '../support/timeouts.js'

const MiB = 1024 * 1024

interface Stats {
  opened: number
  open: number
  closed: number
}

async function stats(request: APIRequestContext): Promise<Stats> {
  const response = await request.get(`${ORIGIN}/test/endless-stats`)
  expect(response.status(), 'the SDK test-support routes are registered (addSdkTestSupportRoutes)').toBe(200)
  return response.json()
}

async function signedIn(page: Page, request: APIRequestContext, options: Record<string, unknown>): Promise<Stats> {
  const before = await stats(request)
  await signIn(page, options)
  return before
}

/** The server saw the connection close: the client gave up the download. */
async function expectClosed(request: APIRequestContext, before: Stats, count = 1): Promise<void> {
  await expect.poll(async () => (await stats(request)).closed - before.closed, { timeout: PROMPT_MS }).toBe(count)
  expect((await stats(request)).open).toBe(0)
}

test('maxBodyBytes: a never-ending answer from a trusted origin rejects ERR_BODY_TOO_LARGE and the download stops', async ({
  page,
  request,
}) => {
  const before = await signedIn(page, request, { maxBodyBytes: MiB })
  const endless = await vaultFetch(page, '/test/endless')
  expect(endless.error?.code).toBe('ERR_BODY_TOO_LARGE')
  await expectClosed(request, before)
  // A declared length over the limit is refused at once; one at the limit is read.
  expect((await vaultFetch(page, `/api/bytes?n=${MiB + 1}`)).error?.code).toBe('ERR_BODY_TOO_LARGE')
  const exact = await page.evaluate(
    async n => (await (await window.session.fetch(`/api/bytes?n=${n}`)).arrayBuffer()).byteLength,
    MiB,
  )
  expect(exact).toBe(MiB)
  expect(await page.evaluate(() => window.session.state), 'the session stays').toBe('authenticated')
})

test('maxBodyBytes default (64 MiB): a never-ending answer still ends in ERR_BODY_TOO_LARGE', async ({
  page,
  request,
}) => {
  const before = await signedIn(page, request, {})
  expect((await vaultFetch(page, '/test/endless')).error?.code).toBe('ERR_BODY_TOO_LARGE')
  await expectClosed(request, before)
  const bytes = await page.evaluate(
    async () => (await (await window.session.fetch('/api/bytes?n=20000000')).arrayBuffer()).byteLength,
  )
  expect(bytes, 'bodies under the default are read whole').toBe(20_000_000)
})

test('requestTimeout: an answer that stalls, or never ends, rejects ERR_TIMEOUT on time and the request is aborted', async ({
  page,
  request,
}) => {
  const before = await signedIn(page, request, { requestTimeout: '1s' })
  for (const path of ['/test/stall', '/test/endless?trickle=1']) {
    const started = Date.now()
    const result = await vaultFetch(page, path)
    const took = Date.now() - started
    expect(result.error?.code, path).toBe('ERR_TIMEOUT')
    expect(took, `${path}: not before the timeout`).toBeGreaterThanOrEqual(900)
    expect(took, `${path}: soon after it`).toBeLessThan(3_000)
  }
  await expectClosed(request, before, 2)
  expect((await vaultFetch(page, '/api/me')).value?.status, 'quick answers are not affected').toBe(200)
})
