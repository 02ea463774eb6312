import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration.js'
import { isSessionVaultError } from './shared/errors.js'

describe('parseDuration', () => {
  it.each([
    [1500, 1500],
    [0, 0],
    ['250ms', 250],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['15m', 900_000],
    ['8h', 28_800_000],
    ['2d', 172_800_000],
    [' 10 s ', 10_000],
  ])('%j is %d ms', (input, ms) => {
    expect(parseDuration(input, 'idle.timeout')).toBe(ms)
  })

  it.each([[-1], [NaN], [Infinity], ['15'], ['15 minutes'], ['-5s'], ['m'], [''], [null], [{}], ['1e3s']])(
    'rejects %j with ERR_BAD_OPTIONS naming the field',
    input => {
      let caught: unknown
      try {
        parseDuration(input, 'idle.warnBefore')
      } catch (error) {
        caught = error
      }
      expect(isSessionVaultError(caught, 'ERR_BAD_OPTIONS')).toBe(true)
      expect((caught as Error).message).toContain('idle.warnBefore')
    },
  )
})
