import type { Locator, Page } from '@playwright/test'
import { events, type SessionEventRecord } from './harness.js'

/**
 * Waits until the page has recorded `count` events named `name` (the harness
 * stamps each with `at`, epoch ms, when it was emitted) and returns the
 * `count`-th one.
 */
export async function waitForEvent(page: Page, name: string, timeout: number, count = 1): Promise<SessionEventRecord> {
  await page.waitForFunction(
    ([n, c]) => window.events.filter(event => event.name === n).length >= c,
    [name, count] as const,
    { timeout, polling: 50 },
  )
  return (await events(page, name))[count - 1]!
}

export interface DialogSnapshot {
  open: boolean
  modal: boolean
  role: string | null
  reason: string | null
  labelledBy: string | null
  describedBy: string | null
  /** Text of the element(s) `aria-labelledby` points at, within the shadow root. */
  title: string | null
  /** Text of the element(s) `aria-describedby` points at, within the shadow root. */
  message: string | null
  /** The visible countdown (`::part(countdown)`). */
  countdown: string | null
  /** The polite live region's text. */
  live: string | null
  /** Labels of the buttons a user can see. */
  buttons: string[]
  /** Text of the shadow root's focused element, if any. */
  focused: string | null
  /** What `document.activeElement` is: `dialog-host`, an element id, a tag name, or null. */
  documentFocus: string | null
}

/** The default dialog's state, read through the host's open shadow root; null when there is no host. */
export async function dialogSnapshot(page: Page): Promise<DialogSnapshot | null> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-session-vault=dialog]')
    const root = host?.shadowRoot
    const dialog = root?.querySelector('dialog')
    const active = document.activeElement
    const documentFocus = !active ? null : active === host ? 'dialog-host' : active.id || active.tagName.toLowerCase()
    if (!root || !dialog) return null
    const textOf = (ids: string | null) =>
      ids === null
        ? null
        : ids
            .split(/\s+/)
            .filter(Boolean)
            .map(id => root.getElementById(id)?.textContent ?? '')
            .join(' ')
            .trim()
    const labelledBy = dialog.getAttribute('aria-labelledby')
    const describedBy = dialog.getAttribute('aria-describedby')
    return {
      open: dialog.open,
      modal: dialog.matches(':modal'),
      role: dialog.getAttribute('role'),
      reason: dialog.getAttribute('data-reason'),
      labelledBy,
      describedBy,
      title: textOf(labelledBy),
      message: textOf(describedBy),
      countdown: root.querySelector('[part~=countdown]')?.textContent ?? null,
      live: root.querySelector('[aria-live=polite]')?.textContent ?? null,
      buttons: [...dialog.querySelectorAll('button')]
        .filter(button => button.checkVisibility())
        .map(button => button.textContent ?? ''),
      focused: root.activeElement?.textContent ?? null,
      documentFocus,
    }
  })
}

/** Whether the default dialog is currently open. */
export async function dialogOpen(page: Page): Promise<boolean> {
  return (await dialogSnapshot(page))?.open === true
}

/** A button of the default dialog, by its label (Playwright locators pierce the open shadow root). */
export function dialogButton(page: Page, name: string): Locator {
  return page.locator('[data-session-vault=dialog]').getByRole('button', { name, exact: true })
}

/** Real input: moves the mouse to a new spot every `every` ms for `durationMs`. */
export async function keepMoving(page: Page, durationMs: number, every = 300): Promise<void> {
  const end = Date.now() + durationMs
  let i = 0
  while (Date.now() < end) {
    i++
    await page.mouse.move(20 + (i % 7) * 13, 200 + (i % 5) * 11)
    await page.waitForTimeout(every)
  }
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))
