import { describe, expect, it } from 'vitest'
import { evaluateIdle, type IdleClockInput } from './idle-clock.js'

const base: IdleClockInput = { lastActivityAt: 1_000_000, timeout: 60_000, warnBefore: 10_000 }

describe('evaluateIdle', () => {
  it('is active until warnBefore ahead of the deadline, and says when to look again', () => {
    expect(evaluateIdle(base, 1_000_000)).toEqual({
      phase: 'active',
      reason: 'idle',
      deadline: 1_060_000,
      remainingMs: 60_000,
      nextCheckAt: 1_050_000,
    })
  })

  it('warns from deadline - warnBefore, with checks on whole seconds of the countdown', () => {
    const at = evaluateIdle(base, 1_050_000)
    expect(at).toMatchObject({ phase: 'warning', remainingMs: 10_000, nextCheckAt: 1_051_000 })
    expect(evaluateIdle(base, 1_050_400)).toMatchObject({
      phase: 'warning',
      remainingMs: 9_600,
      nextCheckAt: 1_051_000,
    })
    expect(evaluateIdle(base, 1_059_000)).toMatchObject({
      phase: 'warning',
      remainingMs: 1_000,
      nextCheckAt: 1_060_000,
    })
  })

  it('expires at the deadline with no next check', () => {
    expect(evaluateIdle(base, 1_060_000)).toEqual({
      phase: 'expired',
      reason: 'idle',
      deadline: 1_060_000,
      remainingMs: 0,
      nextCheckAt: null,
    })
  })

  it('after sleeping past the deadline: expired at once, no warning phase', () => {
    expect(evaluateIdle(base, 5_000_000).phase).toBe('expired')
  })

  it('after sleeping into the warning window: warning with the right remaining time', () => {
    expect(evaluateIdle(base, 1_057_250)).toMatchObject({ phase: 'warning', remainingMs: 2_750 })
  })

  it('an absolute deadline before the idle one wins, with reason absolute', () => {
    const input = { ...base, absoluteDeadline: 1_030_000 }
    expect(evaluateIdle(input, 1_000_000)).toMatchObject({
      phase: 'active',
      reason: 'absolute',
      deadline: 1_030_000,
      nextCheckAt: 1_020_000,
    })
    expect(evaluateIdle(input, 1_025_000)).toMatchObject({ phase: 'warning', reason: 'absolute', remainingMs: 5_000 })
    expect(evaluateIdle(input, 1_030_000)).toMatchObject({ phase: 'expired', reason: 'absolute' })
  })

  it('the server idle deadline can bring the deadline earlier, never later', () => {
    expect(evaluateIdle({ ...base, serverIdleDeadline: 1_040_000 }, 1_000_000).deadline).toBe(1_040_000)
    expect(evaluateIdle({ ...base, serverIdleDeadline: 9_000_000 }, 1_000_000).deadline).toBe(1_060_000)
  })
})
