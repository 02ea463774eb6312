import { describe, expect, it } from 'vitest'
import { type DurationFormatConstructor, direction, remainingFormat } from './format.js'

describe('remainingFormat without Intl.DurationFormat (the fallback)', () => {
  const en = remainingFormat('en', null)

  it('shows clock digits, with hours only past an hour, rounding up to the second', () => {
    expect(en.digital(65_000)).toBe('01:05')
    expect(en.digital(64_001)).toBe('01:05')
    expect(en.digital(5_000)).toBe('00:05')
    expect(en.digital(3_725_000)).toBe('1:02:05')
    expect(en.digital(-3)).toBe('00:00')
  })

  it('speaks the units that are not zero, in words and plural forms of the locale', () => {
    expect(en.spoken(65_000)).toBe('1 minute, 5 seconds')
    expect(en.spoken(120_000)).toBe('2 minutes')
    expect(en.spoken(1_000)).toBe('1 second')
    expect(en.spoken(3_725_000)).toBe('1 hour, 2 minutes, 5 seconds')
    expect(en.spoken(0)).toBe('0 seconds')
    expect(remainingFormat('de', null).spoken(65_000)).toBe('1 Minute, 5 Sekunden')
    expect(remainingFormat('fr', null).spoken(120_000)).toBe('2 minutes')
  })

  it("uses the locale's digits", () => {
    expect(remainingFormat('ar-EG', null).digital(65_000)).toBe('٠١:٠٥')
    expect(remainingFormat('ar-EG', null).spoken(5_000)).toMatch(/٥/)
  })
})

describe('remainingFormat with Intl.DurationFormat', () => {
  it('asks it for digital and long styles with hours, minutes and seconds (zero spoken as seconds)', () => {
    const made: [string, Record<string, string>][] = []
    const Fake: DurationFormatConstructor = class {
      constructor(
        readonly locale: string,
        readonly options: Record<string, string>,
      ) {
        made.push([locale, options])
      }
      format(duration: object) {
        return `${this.options.style}${this.options.secondsDisplay ? '!' : ''} ${JSON.stringify(duration)}`
      }
    }
    const format = remainingFormat('ja', Fake)
    expect(made.map(([locale]) => locale)).toEqual(['ja', 'ja', 'ja'])
    expect(format.digital(3_725_000)).toBe('digital {"hours":1,"minutes":2,"seconds":5}')
    expect(format.spoken(65_000)).toBe('long {"hours":0,"minutes":1,"seconds":5}')
    expect(format.spoken(0)).toBe('long! {"hours":0,"minutes":0,"seconds":0}')
    expect(made[0]![1]).toEqual({ style: 'digital', hoursDisplay: 'auto' })
  })
})

describe('direction', () => {
  it.each([
    ['ar', 'rtl'],
    ['he-IL', 'rtl'],
    ['fa', 'rtl'],
    ['ur', 'rtl'],
    ['en', 'ltr'],
    ['ja', 'ltr'],
    ['az-Arab', 'rtl'],
    ['az', 'ltr'],
  ])('%s is %s', (locale, expected) => expect(direction(locale)).toBe(expected))
})
