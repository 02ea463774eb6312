import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  backoffDelay,
  RESTORE_BACKOFF,
  type RestoreOutcome,
  RestoreRetry,
  type RestoreRetryState,
} from './restore-retry.js'

describe('backoffDelay', () => {
  it('doubles from 1 s to a 30 s cap, without jitter at the midpoint', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map(n => backoffDelay(n, () => 0.5))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ])
  })

  it('spreads each wait by ±20 %', () => {
    expect(backoffDelay(2, () => 0)).toBe(4_000 * (1 - RESTORE_BACKOFF.jitter))
    expect(backoffDelay(2, () => 0.999_999)).toBe(Math.round(4_000 * (1 + RESTORE_BACKOFF.jitter)))
  })
})

describe('RestoreRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  function setup(outcomes: RestoreOutcome[]) {
    const attempts: number[] = []
    const changes: RestoreRetryState[] = []
    const retry = new RestoreRetry(
      async () => {
        attempts.push(Date.now())
        return outcomes.shift() ?? 'unknown'
      },
      state => changes.push(state),
    )
    return { retry, attempts, changes }
  }

  it('retries after 1, 2, 4 s until an attempt knows, then stops', async () => {
    const { retry, attempts, changes } = setup(['unknown', 'unknown', 'known'])
    retry.start()
    expect(retry.active).toBe(true)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(attempts).toEqual([1_000, 3_000, 7_000])
    expect(retry.active).toBe(false)
    expect(changes).toEqual([
      { active: true, retryAt: 1_000 },
      { active: true, retryAt: 3_000 },
      { active: true, retryAt: 7_000 },
      { active: false },
    ])
  })

  it('now() tries at once and restarts the wait from there; it does nothing while an attempt runs', async () => {
    let release!: (outcome: RestoreOutcome) => void
    const attempts: number[] = []
    const changes: RestoreRetryState[] = []
    const retry = new RestoreRetry(
      () => {
        attempts.push(Date.now())
        return new Promise(resolve => (release = resolve))
      },
      state => changes.push(state),
    )
    retry.start()
    await vi.advanceTimersByTimeAsync(500)
    retry.now()
    retry.now()
    expect(attempts).toEqual([500])
    release('unknown')
    await vi.advanceTimersByTimeAsync(0)
    expect(changes.at(-1)).toEqual({ active: true, retryAt: 2_500 })
    await vi.advanceTimersByTimeAsync(2_000)
    expect(attempts).toEqual([500, 2_500])
  })

  it('stop() cancels the next attempt, and an answer that arrives after it changes nothing', async () => {
    const { retry, attempts, changes } = setup([])
    retry.start()
    retry.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(attempts).toEqual([])
    expect(changes.at(-1)).toEqual({ active: false })
  })

  it('an attempt that throws (the vault is gone) ends the retries', async () => {
    const retry = new RestoreRetry(
      () => Promise.reject(new Error('vault crashed')),
      () => {},
    )
    retry.start()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(retry.active).toBe(false)
  })
})
