import { describe, expect, it } from 'vitest'
import { deadlinesOf, parseDeadlines } from './deadlines.js'

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
