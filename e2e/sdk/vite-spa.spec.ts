import { expect, test } from '../support/fixtures.js'
import { ALICE, ORIGIN } from '../support/server.js'

// demo/vite-spa is built by demo/vite-spa/build.mjs from the `npm pack` tarball
// (npm test runs it before the e2e suite): the app imports 'session-vault'
// plainly and Vite emits vault.worker.js as an asset from new URL(..., import.meta.url).
test('the Vite-built app signs in, fetches through the vault, shows the live feed and signs out', async ({
  server,
  page,
}) => {
  const violations: string[] = []
  page.on('console', message => {
    if (/Content Security Policy|Trusted Type/i.test(message.text())) violations.push(message.text())
  })
  await page.goto(`${ORIGIN}/vite/`)
  await expect(page.locator('#status')).toHaveText('Signed out.')
  const [worker] = page.workers()
  expect(worker?.url()).toMatch(new RegExp(`^${ORIGIN}/vite/assets/vault\\.worker-[\\w-]+\\.js$`))

  await page.fill('input[name=password]', ALICE.password)
  await page.click('button[type=submit]')
  await expect(page.locator('#who')).toHaveText('alice')
  expect((await server.counters()).api).toBeGreaterThan(0)
  // The live feed (session-vault/sse on /api/events, one event a second), newest first.
  await expect(page.locator('#feed-status')).toHaveText('Connected.')
  await expect.poll(() => page.locator('#feed li').count(), { timeout: 5_000 }).toBeGreaterThanOrEqual(2)
  const ids = (await page.locator('#feed li').allTextContents()).map(text => Number(/^#(\d+) at /.exec(text)?.[1]))
  expect(ids).toEqual(ids.map((_, i) => ids.length - i))

  await page.click('#logout')
  await expect(page.locator('#status')).toHaveText('Signed out (user).')
  await expect(page.locator('#feed-status')).toHaveText('Not connected.')
  expect((await server.counters()).logout).toBe(1)
  expect(violations).toEqual([])
})
