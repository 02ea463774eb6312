import { describe, expect, it } from 'vitest'
import { evaluateIdle, type IdleClockInput, SteadyClock } from './idle-clock.js'

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

describe('SteadyClock', () => {
  /** A wall clock and a monotonic one the test moves: `pass` is time passing, `set` the wall clock being set. */
  function clocks(wallAt = 1_700_000_000_000) {
    let wall = wallAt
    let mono = 5_000
    return {
      clock: new SteadyClock(
        () => wall,
        () => mono,
      ),
      pass(ms: number, drift = 0) {
        wall += ms + drift
        mono += ms
      },
      set(ms: number) {
        wall += ms
      },
    }
  }

  it('reads the wall clock while the two keep pace, small drift and slewing included', () => {
    const t = clocks()
    expect(t.clock.now()).toBe(1_700_000_000_000)
    t.pass(60_000, 30)
    expect(t.clock.now()).toBe(1_700_000_060_030)
    t.pass(60_000, -900)
    expect(t.clock.now()).toBe(1_700_000_119_130)
    expect(t.clock.toWall(1_700_000_119_130)).toBe(1_700_000_119_130)
    expect(t.clock.forwardSteps).toBe(0)
  })

  it('follows a wall clock that jumps forward (sleep, fail closed) but not one set back', () => {
    const t = clocks(0)
    t.pass(1_000)
    t.set(3_600_000)
    t.pass(1_000)
    expect(t.clock.now()).toBe(3_602_000)
    expect(t.clock.forwardSteps).toBe(1)
    t.set(-7_200_000)
    t.pass(500)
    expect(t.clock.now()).toBe(3_602_500)
    expect(t.clock.forwardSteps, 'a step back is not a forward step').toBe(1)
  })

  it('converts to and from the wall clock as it reads now', () => {
    const t = clocks(0)
    t.set(-600_000)
    expect(t.clock.toWall(10_000)).toBe(10_000 - 600_000)
    expect(t.clock.fromWall(10_000 - 600_000)).toBe(10_000)
    t.set(3_600_000)
    expect(t.clock.toWall(10_000), 'a step forward is followed, not kept as skew').toBe(10_000 - 600_000)
  })

  it('never goes back, even when the wall clock is set back by less than a step', () => {
    const t = clocks(0)
    t.pass(1_000)
    expect(t.clock.now()).toBe(1_000)
    t.set(-800)
    expect(t.clock.now()).toBe(1_000)
    t.pass(1_000)
    expect(t.clock.now()).toBe(1_200)
  })
})
