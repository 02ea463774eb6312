// Issue 12: session.fetch is a fetch, so the HTTP clients apps use take it as their own in one line
// (demo/vite-spa: ky.create({ fetch: session.fetch }) and axios's fetch adapter with env.fetch).
// Answers, HTTP errors in the client's own shape, a refused origin with the SDK's code reachable,
// and aborts that stop the request at the server. WebKit: e2e/webkit/http-clients.wd.test.ts.
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { ABORTED, clientAbort, clientOutcomes, expectClientOutcomes } from '../support/http-client-scenarios.js'
import { ALICE, ORIGIN } from '../support/server.js'
import { poll } from '../support/tab.js'

async function signedIn(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/vite/`)
  await expect(page.locator('#status')).toHaveText('Signed out.')
  await page.fill('input[name=password]', ALICE.password)
  await page.click('button[type=submit]')
  await expect(page.locator('#who')).toHaveText('alice')
}

test('ky and axios through session.fetch: answers, HTTP errors, a refused origin', async ({ page }) => {
  await signedIn(page)
  expectClientOutcomes(await page.evaluate(clientOutcomes), expect)
})

for (const client of ['ky', 'axios'] as const) {
  test(`${client}: an abort rejects with the client's own error and the server sees the request go`, async ({
    page,
    request,
  }) => {
    await signedIn(page)
    const id = `${client}-${Date.now()}`
    const outcome = await page.evaluate(clientAbort, [client, `/test/hold?id=${id}`] as const)
    expect(outcome).toMatchObject(ABORTED[client])
    const held = async () =>
      (await (await request.get(`${ORIGIN}/test/abandoned?id=${id}`)).json()) as { abandoned: boolean }
    expect((await poll(held, h => h.abandoned, 3_000)).abandoned, 'the server saw the abort').toBe(true)
  })
}
