import type { Page } from '@playwright/test'

/**
 * The control of a "no CSP violation" test: feeds a Trusted Types sink a plain
 * string, which the page's CSP must block and report. Resolves whether it was blocked.
 */
export function tripTrustedTypes(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    try {
      document.body.insertAdjacentHTML('beforeend', '<b>x</b>')
      return false
    } catch {
      return true
    }
  })
}
