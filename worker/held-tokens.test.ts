import { describe, expect, it, vi } from 'vitest'
import { HeldTokens, REFRESH_MARGIN_MS } from './held-tokens.js'

const NOW = 1_800_000_000_000

function held(now = () => NOW) {
  return new HeldTokens<{ sessionId?: string }>('test:refresh', now)
}

describe('HeldTokens', () => {
  it('refreshes REFRESH_MARGIN_MS before expiry, or at half the lifetime of shorter-lived tokens', () => {
    const tokens = held()
    expect(tokens.hold({ accessToken: 'a', expiresIn: 300 }, 'r', { sessionId: 's' })).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      sessionId: 's',
      expiresAt: NOW + 300_000,
      refreshAt: NOW + 300_000 - REFRESH_MARGIN_MS,
      generation: 1,
    })
    expect(tokens.hold({ accessToken: 'b', expiresIn: 20 }, undefined, {}, NOW + 5)).toMatchObject({
      expiresAt: NOW + 5 + 20_000,
      refreshAt: NOW + 5 + 10_000,
      generation: 2,
    })
    const forever = tokens.hold({ accessToken: 'c' }, undefined, {})
    expect(forever.expiresAt).toBeUndefined()
    expect(forever.refreshAt).toBeUndefined()
    expect(tokens.current).toBe(forever)
    tokens.clear()
    expect(tokens.current).toBeUndefined()
  })

  it('is due from the refresh time on; never without an expiry or tokens', () => {
    let now = NOW
    const tokens = held(() => now)
    expect(tokens.due()).toBe(false)
    tokens.hold({ accessToken: 'a', expiresIn: 300 }, undefined, {})
    now = NOW + 300_000 - REFRESH_MARGIN_MS - 1
    expect(tokens.due()).toBe(false)
    now += 1
    expect(tokens.due()).toBe(true)
    tokens.hold({ accessToken: 'b' }, undefined, {})
    expect(tokens.due()).toBe(false)
  })

  it('single-flight: concurrent refreshes share one run; a stale generation runs nothing', async () => {
    const tokens = held()
    const { generation } = tokens.hold({ accessToken: 'a', expiresIn: 300 }, 'r', {})
    const task = vi.fn(async () => {
      tokens.hold({ accessToken: 'b', expiresIn: 300 }, 'r2', {})
      return true
    })
    expect(await Promise.all([tokens.refresh(generation, task), tokens.refresh(generation, task)])).toEqual([
      true,
      true,
    ])
    expect(task).toHaveBeenCalledTimes(1)
    expect(await tokens.refresh(generation, task)).toBe(true)
    expect(task).toHaveBeenCalledTimes(1)
    expect(await tokens.refresh(undefined, async () => false)).toBe(false)
  })
})
