// Issue 16, item 5: the idle snapshot in IndexedDB is writable by any script
// of the origin; a tampered one must not lift the idle or absolute limit.
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { info, signIn, startSession } from '../support/harness.js'
import { keepMoving, waitForEvent } from '../support/idle.js'
import { CHANNEL, storeEntries } from '../support/termination.js'
import { CROSS_TAB_MS } from '../support/timeouts.js'

const KEY = `${CHANNEL}:idle`
const YEAR = 365 * 24 * 3_600_000

/** The vault's stored snapshot, once the page has saved it. */
async function storedSnapshot(page: Page): Promise<Record<string, number>> {
  let found: Record<string, number> | undefined
  await expect
    .poll(async () => {
      found = (await storeEntries(page, 'session-vault', 'state'))?.find(entry => entry.key === KEY)?.value as Record<
        string,
        number
      >
      return found !== undefined
    })
    .toBe(true)
  return found!
}

/** Overwrites the stored snapshot, as injected script could. */
function writeSnapshot(page: Page, value: Record<string, unknown>): Promise<void> {
  return page.evaluate(
    ([key, record]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('session-vault')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction('state', 'readwrite')
          tx.objectStore('state').put(record, key)
          tx.oncomplete = () => {
            open.result.close()
            resolve()
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
    [KEY, value] as const,
  )
}

async function reloadAndRestore(page: Page, options: Record<string, unknown>): Promise<number> {
  await page.reload()
  await page.waitForFunction(() => window.harnessReady === true)
  const restoredAt = await page.evaluate(() => Date.now())
  expect(await startSession(page, options)).toEqual({ state: 'authenticated' })
  return restoredAt
}

test('a snapshot tampered a year ahead: after a reload the warning and the idle logout still come on time', async ({
  server,
  page,
}) => {
  await server.reset({ idleTimeout: 60 })
  const options = { idle: { timeout: 5_000, warnBefore: 2_000 } }
  await signIn(page, options)
  const stored = await storedSnapshot(page)
  const now = await page.evaluate(() => Date.now())
  await writeSnapshot(page, {
    ...stored,
    lastActivityAt: now + YEAR,
    absoluteDeadline: now + YEAR,
    serverIdleDeadline: now + YEAR,
  })

  const restoredAt = await reloadAndRestore(page, options)
  const { idleDeadline } = await info(page)
  expect(idleDeadline! - restoredAt, 'the idle deadline is no later than a fresh one').toBeLessThanOrEqual(
    5_000 + 1_000,
  )
  const warning = await waitForEvent(page, 'warning', 6_000)
  expect(warning.payload.reason).toBe('idle')
  const logout = await waitForEvent(page, 'logout', 4_000)
  expect(logout.payload.reason).toBe('idle')
  expect(logout.at - restoredAt, 'logged out within the idle timeout of the reload').toBeLessThan(5_000 + 1_500)
})

test('an absolute deadline tampered a year ahead: it still comes at sign-in plus absoluteTimeout, whatever the input', async ({
  server,
  page,
}) => {
  await server.reset({ idleTimeout: 60 })
  const options = { idle: { timeout: 4_000, warnBefore: 1_000, absoluteTimeout: 8_000 } }
  const before = await signIn(page, options)
  const stored = await storedSnapshot(page)
  const now = await page.evaluate(() => Date.now())
  await writeSnapshot(page, { ...stored, absoluteDeadline: now + YEAR })

  await reloadAndRestore(page, options)
  expect((await info(page)).absoluteDeadline, 'the absolute deadline derives from the sign-in time').toBe(
    before.absoluteDeadline,
  )
  const busy = keepMoving(page, 9_000, 250)
  const logout = await waitForEvent(page, 'logout', 9_000)
  await busy
  expect(logout.payload.reason).toBe('absolute')
  expect(Math.abs(logout.at - before.absoluteDeadline!), 'on time').toBeLessThan(1_000)
})

test("token mode learns the server's absolute deadline at restore: neither the snapshot nor a longer client absoluteTimeout outlives it", async ({
  server,
  page,
}) => {
  await server.reset({ idleTimeout: 60, absoluteTimeout: 6 })
  const options = { idle: { timeout: 60_000, warnBefore: 1_000, absoluteTimeout: '8h' } }
  await signIn(page, options)
  const signedInAt = Date.now() // just after the server started the session: its deadline is at most 6 s later
  const stored = await storedSnapshot(page)
  const now = await page.evaluate(() => Date.now())
  await writeSnapshot(page, { ...stored, absoluteDeadline: now + YEAR })

  await reloadAndRestore(page, options)
  const { absoluteDeadline } = await info(page)
  expect(
    absoluteDeadline! - signedInAt,
    "the server's absolute deadline (6 s after sign-in), not the client's 8 h",
  ).toBeLessThanOrEqual(6_000 + 1_000)
  const logout = await waitForEvent(page, 'logout', CROSS_TAB_MS)
  expect(logout.payload.reason).toBe('absolute')
})
