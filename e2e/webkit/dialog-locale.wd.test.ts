// The dialog's language in WebKit (Chromium and Firefox: e2e/idle/dialog-locale.spec.ts).
import { describe, expect, test } from 'vitest'
import {
  languageFromDocument,
  languageFromOption,
  messageTemplate,
  rightToLeft,
  type SignIn,
} from '../support/dialog-locale-scenarios.js'
import { useWebKit, webkitTab } from './driver.js'

const wk = useWebKit({ lifetimes: { idleTimeout: 60 } })

const signIn: SignIn = async (options, documentLang) => {
  await wk.openHarness()
  if (documentLang) await webkitTab(wk).step('setDocumentLang', documentLang)
  expect(await wk.startSession(options)).toEqual({ state: 'anonymous' })
  expect(await wk.login()).toEqual({ ok: true })
}

describe('WebKit: the dialog in its language', () => {
  test('dialog.locale: texts, time words and digits, lang and dir', async () => {
    await languageFromOption(webkitTab(wk), expect, signIn)
  })

  test('a right-to-left language mirrors the dialog', async () => {
    await rightToLeft(webkitTab(wk), expect, signIn)
  })

  test.each(['fr', 'pt-BR'] as const)("without dialog.locale the document's lang (%s) is the dialog's", async lang => {
    await languageFromDocument(webkitTab(wk), expect, signIn, lang)
  })

  test('a {remaining} template replaces one text, the language gives the rest', async () => {
    await messageTemplate(webkitTab(wk), expect, signIn)
  })
})
