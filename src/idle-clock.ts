/**
 * The idle clock: pure arithmetic over absolute timestamps (no DOM, no timers:
 * callers pass `now`; everything else asks it), and the time base those
 * timestamps are on in a tab, {@link SteadyClock}.
 *
 * Why that time base: a wall clock set back (by the user, or NTP) must not
 * keep the session past its deadline. So a tab counts on the monotonic clock
 * (`performance.now()`), started at the wall clock and following it while the
 * two keep pace (NTP's slewing, drift); a step back of the wall clock is not
 * followed but kept as the tab's `skew` (wall minus steady). A step forward
 * is followed: it fails closed (see "Sleep").
 *
 * Across tabs: a tab's skew is its own (a tab opened after a step has none),
 * and `performance.timeOrigin` is taken from the wall clock per page, so no
 * monotonic time is comparable between tabs. Steady times therefore never
 * leave the tab: what the tabs exchange, the vault stores and schedules, and
 * the app sees (events, `session.info`) is wall-clock epoch ms, converted at
 * the moment it is sent or read ({@link SteadyClock.toWall} / `fromWall`).
 * Both tabs read the same wall clock at that moment, so a deadline another
 * tab sends lands as far ahead as it was, whatever either tab's skew; a
 * stored snapshot likewise, unless the clock stepped while no tab was open.
 *
 * Sleep: where `performance.now()` stops while the system sleeps (macOS,
 * Linux, Android, iOS; not Windows), sleep and a clock set forward look the
 * same, and nothing in the browser tells them apart. Sleep is by far the
 * common case, and a laptop opened after lunch must not show a session that
 * timed out meanwhile, so forward steps count as elapsed time: a clock set
 * forward past the deadline ends the session (fail closed), where ignoring
 * steps would keep a slept-through session on screen. The first input after
 * a forward step also sends a keepalive at once (see `IdleController`).
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
  /** Set while idle is paused: the client's own idle deadline then stays a whole timeout away. */
  pausedAt?: number
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
export function idleDeadlineOf(input: IdleClockInput, now = input.lastActivityAt): number {
  const last = input.pausedAt !== undefined ? Math.max(input.lastActivityAt, now) : input.lastActivityAt
  const own = last + input.timeout
  return input.serverIdleDeadline !== undefined ? Math.min(own, input.serverIdleDeadline) : own
}

export function evaluateIdle(input: IdleClockInput, now: number): IdleVerdict {
  const idleDeadline = idleDeadlineOf(input, now)
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

/**
 * The largest difference between the wall and the monotonic clock's progress, between two readings, that
 * the steady clock follows: clock resolution, NTP slewing (at most 0.5 ms a second) and drift stay below it.
 */
const STEP_MS = 1_000

/**
 * A tab's time base for idle deadlines (see the header): epoch ms that advance
 * with the monotonic clock. A wall clock set back by more than {@link STEP_MS}
 * between two readings is not followed; smaller differences and forward steps
 * (sleep) are. Never goes back.
 */
export class SteadyClock {
  /** Wall minus steady time: the wall clock's steps back seen so far. */
  #skew = 0
  #wallAt: number
  #monoAt: number
  #last = Number.NEGATIVE_INFINITY
  #forwardSteps = 0
  readonly #wall: () => number
  readonly #mono: () => number

  /** @param wall epoch ms (`Date.now`); @param mono a monotonic clock, ms (`performance.now`) */
  constructor(wall: () => number = Date.now, mono: () => number = () => performance.now()) {
    this.#wall = wall
    this.#mono = mono
    this.#wallAt = wall()
    this.#monoAt = mono()
  }

  /** The steady time now. */
  now(): number {
    this.#observe()
    this.#last = Math.max(this.#last, this.#wallAt - this.#skew)
    return this.#last
  }

  /** The wall-clock epoch ms of a steady time, as the wall clock reads now. */
  toWall(at: number): number {
    this.#observe()
    return at + this.#skew
  }

  /** The steady time of a wall-clock epoch ms read now. */
  fromWall(at: number): number {
    this.#observe()
    return at - this.#skew
  }

  /** How many times the wall clock has jumped ahead of the monotonic one (a clock set forward, or sleep). */
  get forwardSteps(): number {
    this.#observe()
    return this.#forwardSteps
  }

  #observe(): void {
    const wall = this.#wall()
    const mono = this.#mono()
    const step = wall - (this.#wallAt + (mono - this.#monoAt))
    if (step < -STEP_MS) this.#skew += step
    else if (step > STEP_MS) this.#forwardSteps++
    this.#wallAt = wall
    this.#monoAt = mono
  }
}
