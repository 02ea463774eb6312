// Issue 12, the idle control API: session.idle pauses and resumes the idle timeout in every tab
// (the absolute one never), changes the settings in every open tab, shows the phase and the time
// left from the one clock, and with idle.frames counts input in the page's same-origin iframes.
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login, openHarness, startSession } from '../support/harness.js'
import { waitForEvent } from '../support/idle.js'
import { scenario } from '../support/scenario.js'
import { PROMPT_MS } from '../support/timeouts.js'

test.use({ lifetimes: { idleTimeout: 60 } })

const TIMEOUT = 4_000
const OPTIONS = { idle: { timeout: TIMEOUT, warnBefore: 1_000 } }

const idleOf = (page: Page) => page.evaluate(() => ({ ...window.session.idle }))
const phase = (page: Page) => page.evaluate(() => window.session.idle.phase)

async function twoTabs(page: Page, other: Page, options: Record<string, unknown> = OPTIONS): Promise<void> {
  await openHarness(page)
  expect(await startSession(page, options)).toEqual({ state: 'anonymous' })
  expect(await phase(page)).toBe('inactive')
  expect(await login(page)).toEqual({ ok: true })
  await openHarness(other)
  expect(await startSession(other, options)).toEqual({ state: 'authenticated' })
}

test('pause in one tab holds the idle timeout in every tab past its deadline; resume starts it again', async ({
  context,
}) => {
  const [a, b] = [await context.newPage(), await context.newPage()]
  await twoTabs(a, b)
  expect(await phase(b)).toBe('active')
  await a.evaluate(() => window.session.idle.pause())
  await expect.poll(() => phase(b), { timeout: PROMPT_MS }).toBe('paused')
  expect(await phase(a)).toBe('paused')

  await a.waitForTimeout(TIMEOUT + 1_500)
  for (const tab of [a, b]) {
    expect(await tab.evaluate(() => window.session.state), 'still signed in, paused past the timeout').toBe(
      'authenticated',
    )
    expect((await idleOf(tab)).remainingMs).toBeGreaterThan(TIMEOUT - 1_000)
  }

  await b.evaluate(() => window.session.idle.resume())
  await expect.poll(() => phase(a), { timeout: PROMPT_MS }).toBe('active')
  for (const tab of [a, b])
    expect((await waitForEvent(tab, 'logout', TIMEOUT + PROMPT_MS)).payload).toMatchObject({ reason: 'idle' })
})

test('update in one tab: a stricter timeout in every open tab; bad settings are refused by name', async ({
  context,
}) => {
  const [a, b] = [await context.newPage(), await context.newPage()]
  await twoTabs(a, b, { idle: { timeout: '1m', warnBefore: '20s' } })
  expect((await idleOf(b)).remainingMs).toBeGreaterThan(50_000)
  const refused = await a.evaluate(() =>
    window.attempt(() => window.session.idle.update({ timeout: '10s', warnBefore: '20s' })),
  )
  expect(refused).toMatchObject({ ok: false, error: { code: 'ERR_BAD_OPTIONS' } })
  expect(refused.error?.message).toMatch(/idle\.warnBefore/)
  await a.evaluate(() => window.session.idle.update({ timeout: '3s', warnBefore: '1s' }))
  await expect.poll(async () => (await idleOf(b)).remainingMs!, { timeout: PROMPT_MS }).toBeLessThanOrEqual(3_000)
  expect((await idleOf(a)).remainingMs).toBeLessThanOrEqual(3_000)
  for (const tab of [a, b])
    expect((await waitForEvent(tab, 'logout', 3_000 + PROMPT_MS)).payload).toMatchObject({ reason: 'idle' })
})

for (const frames of [true, false]) {
  test(`idle.frames: ${frames}: typing in a same-origin iframe ${frames ? 'counts' : 'does not count'} as activity`, async ({
    page,
  }) => {
    await openHarness(page)
    expect(await startSession(page, { idle: { timeout: '8s', warnBefore: '2s', frames } })).toEqual({
      state: 'anonymous',
    })
    expect(await login(page)).toEqual({ ok: true })
    await scenario(page, 'editorFrame', 'editor')
    await page.waitForTimeout(3_000)
    const before = (await idleOf(page)).remainingMs!
    expect(before).toBeLessThan(5_500)
    await page.frameLocator('iframe[name=editor]').locator('#text').pressSequentially('typing')
    const after = (await idleOf(page)).remainingMs!
    if (frames) expect(after, 'the idle deadline moved with the typing in the frame').toBeGreaterThan(7_000)
    else expect(after, 'typing in the frame did not count').toBeLessThan(before)
    expect(await events(page, 'logout')).toEqual([])
  })
}
