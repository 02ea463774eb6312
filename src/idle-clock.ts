/**
 * The idle clock: pure arithmetic over absolute timestamps. No DOM, no timers,
 * no clock of its own: callers pass `now`. Everything else asks it.
 */
export interface IdleClockInput {
  /** Epoch ms of the latest activity seen in any tab. */
  lastActivityAt: number
  /** Idle timeout, ms. */
  timeout: number
  /** Warning lead, ms (shorter than `timeout`). */
  warnBefore: number
  /** Epoch ms after which the session ends whatever the activity. */
  absoluteDeadline?: number
  /** Epoch ms of the server's own idle deadline, when known: it can only bring the client's earlier. */
  serverIdleDeadline?: number
}

export type IdlePhase = 'active' | 'warning' | 'expired'

export interface IdleVerdict {
  phase: IdlePhase
  /** Which deadline comes first. */
  reason: 'idle' | 'absolute'
  /** Epoch ms of that deadline. */
  deadline: number
  /** `deadline - now`, never negative. */
  remainingMs: number
  /** The next moment worth checking again (warning start, next whole second of the countdown, or the deadline); null once expired. */
  nextCheckAt: number | null
}

/** The idle deadline: latest activity plus the timeout, or the server's, whichever is earlier. */
export function idleDeadlineOf(input: IdleClockInput): number {
  const own = input.lastActivityAt + input.timeout
  return input.serverIdleDeadline !== undefined ? Math.min(own, input.serverIdleDeadline) : own
}

export function evaluateIdle(input: IdleClockInput, now: number): IdleVerdict {
  const idleDeadline = idleDeadlineOf(input)
  const absolute = input.absoluteDeadline
  const reason = absolute !== undefined && absolute <= idleDeadline ? 'absolute' : 'idle'
  const deadline = reason === 'absolute' ? absolute! : idleDeadline
  const remainingMs = Math.max(0, deadline - now)
  if (now >= deadline) return { phase: 'expired', reason, deadline, remainingMs: 0, nextCheckAt: null }
  const warnAt = deadline - input.warnBefore
  if (now < warnAt) return { phase: 'active', reason, deadline, remainingMs, nextCheckAt: warnAt }
  const nextSecond = deadline - Math.floor((remainingMs - 1) / 1000) * 1000
  return {
    phase: 'warning',
    reason,
    deadline,
    remainingMs,
    nextCheckAt: Math.min(deadline, nextSecond > now ? nextSecond : now + 1000),
  }
}
