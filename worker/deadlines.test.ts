import { describe, expect, it } from 'vitest'
import { deadlinesOf, parseDeadlines, ServerClock } from './deadlines.js'

const NOW = 1_700_000_000_000

describe('deadlinesOf', () => {
  it('prefers seconds-from-now over epoch times, per deadline', () => {
    expect(
      deadlinesOf({ idleExpiresIn: 900, absoluteExpiresIn: 3_600, idleExpiresAt: 1, absoluteExpiresAt: 2 }, NOW),
    ).toEqual({ idleExpiresAt: NOW + 900_000, absoluteExpiresAt: NOW + 3_600_000 })
    expect(deadlinesOf({ idleExpiresIn: 60, absoluteExpiresAt: 42 }, NOW)).toEqual({
      idleExpiresAt: NOW + 60_000,
      absoluteExpiresAt: 42,
    })
  })

  it('falls back to the epoch time when the relative field is negative or not a finite number', () => {
    expect(deadlinesOf({ idleExpiresIn: -1, idleExpiresAt: 7 }, NOW)).toEqual({ idleExpiresAt: 7 })
    expect(deadlinesOf({ absoluteExpiresIn: '60', absoluteExpiresAt: 8 }, NOW)).toEqual({ absoluteExpiresAt: 8 })
  })

  it('gives no deadlines for anything else', () => {
    for (const body of [null, undefined, 42, 'text', {}, { idleExpiresAt: '1' }, { absoluteExpiresIn: null }]) {
      expect(deadlinesOf(body, NOW)).toEqual({})
    }
  })
})

describe('parseDeadlines', () => {
  it('reads JSON text as deadlinesOf does; text that is not JSON gives none', () => {
    expect(parseDeadlines('{"idleExpiresIn":1,"absoluteExpiresAt":5}', NOW)).toEqual({
      idleExpiresAt: NOW + 1_000,
      absoluteExpiresAt: 5,
    })
    expect(parseDeadlines('not json', NOW)).toEqual({})
  })
})

describe('deadlinesOf with a clock offset', () => {
  it('converts epoch times from the server clock to the local one; seconds-from-now need no conversion', () => {
    const offset = 20 * 60_000 // the server's clock 20 minutes ahead
    expect(deadlinesOf({ idleExpiresAt: NOW + offset + 900_000, absoluteExpiresIn: 60 }, NOW, offset)).toEqual({
      idleExpiresAt: NOW + 900_000,
      absoluteExpiresAt: NOW + 60_000,
    })
    expect(parseDeadlines(`{"absoluteExpiresAt":${NOW - 5_000}}`, NOW, -10_000)).toEqual({
      absoluteExpiresAt: NOW + 5_000,
    })
  })
})

describe('ServerClock', () => {
  const answer = (date?: string) => new Response('{}', date === undefined ? {} : { headers: { Date: date } })
  const httpDate = (epoch: number) => new Date(epoch).toUTCString()

  it('takes the offset from Date (the top of its second) against the local time the answer arrived', () => {
    let now = NOW + 250
    const clock = new ServerClock(() => now)
    expect(clock.offset).toBe(0)
    const serverNow = NOW - 20 * 60_000
    expect(clock.observe(answer(httpDate(serverNow)))).toBe(NOW + 250)
    expect(clock.offset).toBe(-20 * 60_000 + 750)
    // 15 minutes on the server's clock: 15 minutes (at most the Date's second less) on the local one.
    const deadlines = clock.deadlinesOf({ idleExpiresAt: serverNow + 900_000 }, now)
    expect(deadlines.idleExpiresAt! - now).toBeLessThanOrEqual(900_000)
    expect(deadlines.idleExpiresAt! - now).toBeGreaterThanOrEqual(900_000 - 1_000)
    now += 5_000
    expect(clock.parseDeadlines(`{"idleExpiresAt":${serverNow + 900_000},"absoluteExpiresIn":10}`, now)).toEqual({
      idleExpiresAt: deadlines.idleExpiresAt,
      absoluteExpiresAt: now + 10_000,
    })
  })

  it('an answer without a usable Date keeps the previous offset (0 at first)', () => {
    const clock = new ServerClock(() => NOW)
    clock.observe(answer())
    clock.observe(answer('not a date'))
    expect(clock.offset).toBe(0)
    clock.observe(answer(httpDate(NOW + 3_600_000)))
    clock.observe(answer())
    expect(clock.offset).toBe(3_601_000)
  })
})
