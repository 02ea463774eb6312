import type { ThrottlePolicy } from '../core/store.js'

/** One throttle key's state. @internal */
export interface ThrottleState {
  count: number
  windowEnd: number
  lockedUntil: number
}

/** Seconds the key is still locked for at `now` (0 = free). @internal */
export function lockedFor(state: ThrottleState | undefined, now: number): number {
  return state && state.lockedUntil > now ? Math.ceil((state.lockedUntil - now) / 1000) : 0
}

/**
 * Count one attempt: a fresh window when the old one is over; past
 * `freeAttempts` each attempt locks the key for baseDelay * 2^(n - free - 1), capped.
 * @internal
 */
export function countAttempt(state: ThrottleState | undefined, policy: ThrottlePolicy, now: number): ThrottleState {
  const fresh = !state || (now >= state.windowEnd && now >= state.lockedUntil)
  const next = fresh ? { count: 0, windowEnd: now + policy.windowMs, lockedUntil: 0 } : { ...state }
  next.count++
  if (next.count > policy.freeAttempts) {
    const exponent = Math.min(30, next.count - policy.freeAttempts - 1)
    next.lockedUntil = now + Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs)
    next.windowEnd = Math.max(next.windowEnd, next.lockedUntil)
  }
  return next
}
