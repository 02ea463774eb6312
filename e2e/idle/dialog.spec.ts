import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login, openHarness, signIn, startSession, state } from '../support/harness.js'
import { dialogOpen, dialogSnapshot, sleep, waitForEvent } from '../support/idle.js'
import { STRAGGLER_MS } from '../support/timeouts.js'

test.use({ lifetimes: { idleTimeout: 60 } })

async function signInWithFieldFocused(page: Page, options: Record<string, unknown>): Promise<void> {
  await signIn(page, options)
  // Focus without any activity event (no click, no key): the warning must come on time.
  await page.locator('#field').focus()
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field')
}

test('the dialog is an accessible modal alertdialog; Escape means stay signed in; the live region is quiet', async ({
  server,
  page,
}, testInfo) => {
  // A warning window longer than 10 s, so the "last 10 s" announcements do not hide the announceEvery rule.
  await signInWithFieldFocused(page, {
    idle: { timeout: 16_000, warnBefore: 14_000 },
    dialog: { announceEvery: '15s' },
  })

  await waitForEvent(page, 'warning', 4_000)
  const opened = (await dialogSnapshot(page))!
  expect(opened).toMatchObject({ open: true, modal: true, role: 'alertdialog', reason: 'idle' })
  expect(opened.labelledBy, 'aria-labelledby').toBeTruthy()
  expect(opened.describedBy, 'aria-describedby').toBeTruthy()
  expect(opened.title, 'the label has text').toMatch(/\w/)
  expect(opened.message, 'the description has text').toMatch(/\w/)
  expect(opened.buttons).toEqual(expect.arrayContaining(['Stay signed in', 'Sign out now']))
  expect(opened.focused, 'initial focus').toBe('Stay signed in')
  expect(opened.documentFocus).toBe('dialog-host')
  expect(opened.live, 'the live region speaks when the warning opens').toMatch(/1[34] seconds/)
  expect(opened.countdown).toMatch(/^00:1[34]$/)
  await expect(page.getByRole('alertdialog')).toBeVisible()

  const shot = testInfo.outputPath('idle-dialog.png')
  await page.screenshot({ path: shot })
  await testInfo.attach('idle-dialog', { path: shot, contentType: 'image/png' })

  // Outside the last 10 s, the live region keeps its text while the visible countdown moves on.
  const lives = new Set<string | null>()
  const countdowns = new Set<string | null>()
  for (const end = Date.now() + 2_800; Date.now() < end; await sleep(200)) {
    const now = (await dialogSnapshot(page))!
    expect(now.open).toBe(true)
    lives.add(now.live)
    countdowns.add(now.countdown)
  }
  expect(countdowns.size, `the countdown changes every second (${[...countdowns].join(' ')})`).toBeGreaterThanOrEqual(3)
  expect([...lives], 'no per-second announcements outside the last 10 s').toEqual([opened.live])

  // In the last 10 s it is announced again.
  await page.waitForFunction(
    () => window.events.some(event => event.name === 'tick' && (event.payload.remainingMs as number) <= 10_000),
    undefined,
    { timeout: 4_000, polling: 50 },
  )
  await expect.poll(async () => (await dialogSnapshot(page))!.live, { timeout: 1_000 }).toMatch(/\b(10|9) seconds/)

  // Escape means "stay signed in".
  const keepalives = (await server.counters()).keepalive
  await page.keyboard.press('Escape')
  await waitForEvent(page, 'extended', 2_000)
  await expect.poll(() => dialogOpen(page), { timeout: 2_000 }).toBe(false)
  await expect.poll(async () => (await server.counters()).keepalive, { timeout: 2_000 }).toBeGreaterThan(keepalives)
  expect(await events(page, 'logout')).toEqual([])
  expect(await page.evaluate(() => document.activeElement?.id), 'focus went back to #field').toBe('field')
})

test('keyboard: Tab and Shift+Tab stay inside the dialog; Space on "Sign out now" signs out; focus returns', async ({
  server,
  page,
}) => {
  await signInWithFieldFocused(page, { idle: { timeout: 4_000, warnBefore: 3_000 }, dialog: true })
  await waitForEvent(page, 'warning', 3_000)
  expect((await dialogSnapshot(page))!.focused).toBe('Stay signed in')

  const seen: (string | null)[] = []
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key)
    const now = (await dialogSnapshot(page))!
    expect(now.open).toBe(true)
    // Soft, so that one escape of focus still lets the rest of the keyboard operation be checked.
    expect.soft(now.documentFocus, `after ${key}: focus stays in the dialog`).toBe('dialog-host')
    expect.soft(['Stay signed in', 'Sign out now'], `after ${key}: a dialog button has focus`).toContain(now.focused)
    seen.push(now.focused)
  }
  expect.soft(new Set(seen)).toEqual(new Set(['Stay signed in', 'Sign out now']))

  // Move to "Sign out now" and press Space.
  for (let i = 0; i < 4 && (await dialogSnapshot(page))!.focused !== 'Sign out now'; i++)
    await page.keyboard.press('Shift+Tab')
  expect((await dialogSnapshot(page))!.focused).toBe('Sign out now')
  await page.keyboard.press('Space')
  const logout = await waitForEvent(page, 'logout', 3_000)
  expect(logout.payload).toEqual({ reason: 'user', serverConfirmed: true })
  expect(await state(page)).toBe('ended')
  expect(await dialogOpen(page)).toBe(false)
  expect(await page.evaluate(() => document.activeElement?.id), 'focus went back to #field').toBe('field')
  expect((await server.counters()).logout).toBe(1)
  expect(await events(page, 'extended')).toEqual([])
})

test('no CSP violation while the dialog is shown; Enter on "Sign out now" signs out', async ({ server, page }) => {
  await signInWithFieldFocused(page, { idle: { timeout: 4_000, warnBefore: 3_000 }, dialog: true })
  await waitForEvent(page, 'warning', 2_000)
  await waitForEvent(page, 'tick', 2_000)
  expect(await dialogOpen(page)).toBe(true)
  // The styles really applied (constructable stylesheet, no inline style): the countdown is large and bold.
  const weight = await page.evaluate(() => {
    const root = document.querySelector('[data-session-vault=dialog]')!.shadowRoot!
    return getComputedStyle(root.querySelector('[part~=countdown]')!).fontWeight
  })
  expect(Number(weight)).toBeGreaterThanOrEqual(600)
  expect(await page.evaluate(() => window.violations)).toEqual([])

  await page.keyboard.press('Shift+Tab')
  expect((await dialogSnapshot(page))!.focused).toBe('Sign out now')
  await page.keyboard.press('Enter')
  const logout = await waitForEvent(page, 'logout', 3_000)
  expect(logout.payload).toEqual({ reason: 'user', serverConfirmed: true })
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field')

  await page.waitForTimeout(STRAGGLER_MS)
  expect(await page.evaluate(() => window.violations)).toEqual([])
  expect((await server.counters()).cspReports).toBe(0)
})

test('the dialog module is loaded on demand: not for an anonymous page, nor with dialog: false', async ({ page }) => {
  const dialogModule = /\/assets\/session-vault-dialog\.js$/
  const loaded: string[] = []
  page.on('request', r => {
    if (dialogModule.test(r.url())) loaded.push(r.url())
  })

  await openHarness(page)
  expect(await startSession(page, { idle: { timeout: 60_000, warnBefore: 10_000 }, dialog: true })).toEqual({
    state: 'anonymous',
  })
  await sleep(300)
  expect(loaded, 'anonymous: no dialog module').toEqual([])

  expect(await login(page)).toEqual({ ok: true })
  await expect.poll(() => loaded.length, { message: 'signed in with idle on: the dialog module is loaded' }).toBe(1)

  await page.evaluate(() => window.session.destroy())
  await openHarness(page)
  loaded.length = 0
  expect(await startSession(page, { idle: { timeout: 60_000, warnBefore: 10_000 }, dialog: false })).toEqual({
    state: 'authenticated',
  })
  await sleep(300)
  expect(loaded, 'dialog: false: never loaded').toEqual([])
})
