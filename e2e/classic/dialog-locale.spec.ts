// The script tag's JSON reaches the dialog's language options: the IIFE build loads the dialog
// and its Hebrew file under the strict CSP, right to left, with the page's own {remaining} template.
import { HOME, waitForSdkState } from '../classic/support.js'
import { tripTrustedTypes } from '../support/csp.js'
import { expect, test } from '../support/fixtures.js'
import { scenario } from '../support/scenario.js'
import { poll } from '../support/tab.js'

test.use({ lifetimes: { idleTimeout: 12 } })

interface Dialog {
  open: boolean
  lang: string
  dir: string
  direction: string
  title: string
  message: string
  countdown: string
  buttons: string[]
}

test('script tag: dialog.locale "he" and a {remaining} template from the JSON config, with no CSP violation', async ({
  classicRecords: records,
  classicSignedIn: page,
}) => {
  const pageErrors: string[] = []
  page.on('pageerror', error => pageErrors.push(error.message))
  await page.goto(`${HOME}?config=localized&locale=he`)
  await waitForSdkState(page, 'authenticated')
  const dialog = await poll(
    () => scenario<Dialog | null>(page, 'dialogSnapshot'),
    d => d?.open === true,
    10_000,
  )
  expect(dialog).toMatchObject({
    open: true,
    lang: 'he',
    dir: 'rtl',
    direction: 'rtl',
    title: 'ההתחברות שלך עומדת לפוג',
  })
  expect(dialog!.message).toBe(`${dialog!.countdown} ⏳`)
  expect(dialog!.buttons).toEqual(['להתנתק עכשיו', 'להישאר מחוברים'])
  expect(await scenario(page, 'loadedFiles', 'session-vault-(dialog|locale-)')).toEqual([
    'session-vault-dialog.js',
    'session-vault-locale-he.js',
  ])
  expect(records.filter(r => r.kind === 'csp')).toEqual([])
  expect(pageErrors).toEqual([])
  expect(await tripTrustedTypes(page), 'the CSP is enforced on this page').toBe(true)
  await expect.poll(() => records.filter(r => r.kind === 'csp').length).toBe(1)
})
