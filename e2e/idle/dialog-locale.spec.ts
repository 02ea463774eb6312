// The dialog's language in Chromium and Firefox (WebKit: e2e/webkit/dialog-locale.wd.test.ts).
import {
  languageFromDocument,
  languageFromOption,
  messageTemplate,
  rightToLeft,
  type SignIn,
} from '../support/dialog-locale-scenarios.js'
import { expect, test } from '../support/fixtures.js'
import { events, login, openHarness, startSession } from '../support/harness.js'
import { playwrightTab, scenario } from '../support/scenario.js'
import { poll } from '../support/tab.js'

test.use({ lifetimes: { idleTimeout: 60 } })

const signInOn =
  (page: import('@playwright/test').Page): SignIn =>
  async (options, documentLang) => {
    await openHarness(page)
    if (documentLang) await scenario(page, 'setDocumentLang', documentLang)
    expect(await startSession(page, options)).toEqual({ state: 'anonymous' })
    expect(await login(page)).toEqual({ ok: true })
  }

test('dialog.locale: the texts, the words and digits for the time, lang and dir follow it', async ({
  server,
  page,
}) => {
  await languageFromOption(playwrightTab(page, server), expect, signInOn(page))
})

test('a right-to-left language mirrors the dialog', async ({ server, page }) => {
  await rightToLeft(playwrightTab(page, server), expect, signInOn(page))
})

for (const lang of ['fr', 'pt-BR'] as const) {
  test(`without dialog.locale the document's lang (${lang}) is the dialog's`, async ({ server, page }) => {
    await languageFromDocument(playwrightTab(page, server), expect, signInOn(page), lang)
  })
}

test('a {remaining} template replaces one text, the language gives the rest', async ({ server, page }) => {
  await messageTemplate(playwrightTab(page, server), expect, signInOn(page))
})

test("a language file that does not load: English texts, the language's formats, an ERR_LOAD_FAILED error event", async ({
  server,
  page,
}) => {
  await page.route('**/session-vault-locale-he.js', route => route.fulfill({ status: 404, body: 'gone' }))
  const tab = playwrightTab(page, server)
  await signInOn(page)({ idle: { timeout: 7_000, warnBefore: 6_000 }, dialog: { locale: 'he' } })
  const dialog = await poll(
    () => tab.step<{ open: boolean; title: string; dir: string; live: string } | null>('dialogSnapshot'),
    d => d?.open === true,
  )
  expect(dialog).toMatchObject({ open: true, title: 'Your session is about to expire', dir: 'rtl' })
  const errors = await events(page, 'error')
  expect(errors.map(e => (e.payload as { code?: string }).code)).toEqual(['ERR_LOAD_FAILED'])
})
