import { describe, expect, it } from 'vitest'
import { ENGLISH, type LocaleTexts, localeTexts, toMessage } from './texts.js'

const LANGUAGES = ['ar', 'de', 'es', 'fr', 'he', 'ja']

describe('localeTexts', () => {
  it.each(LANGUAGES)('%s ships every text, each message with {remaining}', async language => {
    const texts = await localeTexts(language)
    expect(texts).not.toBe(ENGLISH)
    expect(Object.keys(texts).sort()).toEqual(Object.keys(ENGLISH).sort())
    for (const value of Object.values(texts)) expect(value.trim()).not.toBe('')
    expect(texts.idleMessage).toContain('{remaining}')
    expect(texts.absoluteMessage).toContain('{remaining}')
    expect(texts.title).not.toBe(ENGLISH.title)
  })

  it('picks the language of a regional tag, and English for a language that ships none', async () => {
    expect(await localeTexts('de-AT')).toEqual(await localeTexts('de'))
    expect(await localeTexts('pt-BR')).toBe(ENGLISH)
    expect(await localeTexts('en-GB')).toBe(ENGLISH)
  })

  it('no two languages share a text', async () => {
    const all: LocaleTexts[] = await Promise.all(LANGUAGES.map(localeTexts))
    expect(new Set(all.map(texts => texts.stay)).size).toBe(LANGUAGES.length)
  })
})

describe('toMessage', () => {
  it('fills every {remaining} of a template', () => {
    expect(toMessage('in {remaining} ({remaining})')('1:00')).toBe('in 1:00 (1:00)')
    expect(toMessage('no placeholder')('1:00')).toBe('no placeholder')
    expect(toMessage('in {remaining}')("$& $' $$"), 'the time is inserted as is').toBe("in $& $' $$")
  })

  it("keeps the app's function", () => {
    const own = (remaining: string) => `<${remaining}>`
    expect(toMessage(own)).toBe(own)
  })
})
