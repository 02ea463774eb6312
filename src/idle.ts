import { evaluateIdle, type IdleClockInput, type IdleVerdict, idleDeadlineOf, type SteadyClock } from './idle-clock.js'
import type { NormalizedIdle } from './options.js'
import type { IdleSnapshot, ServerDeadlines } from './shared/protocol.js'
import type { OutgoingTabMessage, TabMessage } from './tab-channel.js'
import type { SessionEvents } from './types.js'

/** What the idle controller needs from its session. */
export interface IdleHost {
  /** The tab's time base: the controller counts on it, and speaks wall-clock epoch ms to everything else. */
  clock: SteadyClock
  /** Arms the vault's wake-up timer (wall-clock epoch ms). */
  schedule(at: number | null): void
  keepalive(): Promise<ServerDeadlines | null>
  persist(snapshot: IdleSnapshot): void
  post(message: OutgoingTabMessage): void
  /** Runs `task` while holding an exclusive cross-tab lock; after a bounded wait, without it. */
  tryLock(name: string, task: () => Promise<void>): Promise<void>
  expire(reason: 'idle' | 'absolute'): void
  warning(open: boolean): void
  emit<K extends keyof SessionEvents>(name: K, payload: SessionEvents[K]): void
  /** The phase, the deadline or the countdown's second changed (`session.idle` listeners). */
  changed?(): void
}

const BROADCAST_EVERY_MS = 1_000

/**
 * Idle state of one tab: the shared timestamps, the activity throttle, the
 * warning phase and the keepalive cadence. Time comes from `host.clock`;
 * every decision comes from {@link evaluateIdle}. Inside, times are on that
 * steady clock (a wall clock that steps moves no deadline); whatever comes in
 * or goes out (other tabs, the vault, storage, events, `deadlines`) is
 * wall-clock epoch ms, converted as it passes (see `idle-clock.ts`).
 */
export class IdleController {
  #state: IdleSnapshot
  #warning: IdleVerdict | null = null
  #lastSecond = -1
  #lastBroadcastAt = 0
  #lastKeepaliveAt = 0
  /** Keepalives other tabs reported. */
  #remoteKeepalives = 0
  /** The clock's forward steps at the last keepalive: after one (sleep, or a clock set forward), the next input asks the server at once. */
  #stepsAtKeepalive: number
  #stopped = false
  #trailing: ReturnType<typeof setTimeout> | undefined

  #options: NormalizedIdle
  readonly #host: IdleHost
  /** What `view` last told the listeners (phase and deadline, the second during a warning). */
  #viewKey = ''

  constructor(options: NormalizedIdle, host: IdleHost, start: IdleSnapshot) {
    this.#options = options
    this.#host = host
    this.#state = this.#fromWall(start)
    this.#lastKeepaliveAt = this.#state.lastActivityAt
    this.#stepsAtKeepalive = host.clock.forwardSteps
  }

  /** The open warning, if any (wall-clock epoch ms). */
  get warning(): IdleVerdict | null {
    const warning = this.#warning
    if (!warning) return null
    const { nextCheckAt } = warning
    return { ...warning, deadline: this.#wall(warning.deadline), nextCheckAt: nextCheckAt && this.#wall(nextCheckAt) }
  }

  /** The shared idle state, wall-clock epoch ms. */
  get snapshot(): IdleSnapshot {
    const out: IdleSnapshot = { lastActivityAt: this.#wall(this.#state.lastActivityAt) }
    for (const field of ['signedInAt', 'absoluteDeadline', 'serverIdleDeadline', 'pausedAt'] as const) {
      const at = this.#state[field]
      if (at !== undefined) out[field] = this.#wall(at)
    }
    return out
  }

  /** Wall-clock epoch ms. */
  get deadlines(): { idleDeadline: number; absoluteDeadline?: number } {
    const { absoluteDeadline } = this.#state
    return {
      idleDeadline: this.#wall(idleDeadlineOf(this.#clock(), this.#now())),
      absoluteDeadline: absoluteDeadline === undefined ? undefined : this.#wall(absoluteDeadline),
    }
  }

  #now(): number {
    return this.#host.clock.now()
  }

  #wall(at: number): number {
    return this.#host.clock.toWall(at)
  }

  #steady(at: number): number {
    return this.#host.clock.fromWall(at)
  }

  #fromWall<T extends Partial<IdleSnapshot>>(snapshot: T): T {
    const out = { ...snapshot }
    for (const field of [
      'lastActivityAt',
      'signedInAt',
      'absoluteDeadline',
      'serverIdleDeadline',
      'pausedAt',
    ] as const) {
      const at = snapshot[field]
      if (at !== undefined) out[field] = this.#steady(at)
    }
    return out
  }

  #serverFromWall(deadlines: ServerDeadlines): ServerDeadlines {
    const out: ServerDeadlines = {}
    if (deadlines.idleExpiresAt !== undefined) out.idleExpiresAt = this.#steady(deadlines.idleExpiresAt)
    if (deadlines.absoluteExpiresAt !== undefined) out.absoluteExpiresAt = this.#steady(deadlines.absoluteExpiresAt)
    return out
  }

  #clock(): IdleClockInput {
    return { ...this.#state, timeout: this.#options.timeout, warnBefore: this.#options.warnBefore }
  }

  /**
   * A DOM activity event in this tab. O(1): at most one broadcast a second,
   * and the last activity of a burst is sent when that second is up, so other
   * tabs never hold a deadline earlier than this one's.
   */
  activity(): void {
    if (this.#stopped || this.#warning) return
    const now = this.#now()
    this.#state.lastActivityAt = now
    const wait = this.#lastBroadcastAt + BROADCAST_EVERY_MS - now
    if (wait <= 0) this.#broadcast()
    else this.#trailing ??= setTimeout(() => this.#broadcast(), wait)
  }

  #broadcast(): void {
    clearTimeout(this.#trailing)
    this.#trailing = undefined
    if (this.#stopped || this.#warning) return
    const at = this.#wall(this.#state.lastActivityAt)
    this.#lastBroadcastAt = this.#now()
    this.#host.post({ type: 'activity', at })
    this.#host.emit('activity', { at })
    this.#host.persist(this.snapshot)
    this.#maybeKeepalive(this.#lastBroadcastAt)
    this.check()
  }

  /** Merges state from another tab or from storage (wall-clock epoch ms): the latest activity and the earliest deadlines win. */
  merge(snapshot: Partial<IdleSnapshot>): void {
    if (this.#stopped) return
    const state = this.#state
    const other = this.#fromWall(snapshot)
    if (other.lastActivityAt !== undefined && !this.#warning) {
      state.lastActivityAt = Math.max(state.lastActivityAt, other.lastActivityAt)
    }
    if (other.absoluteDeadline !== undefined) {
      state.absoluteDeadline = Math.min(state.absoluteDeadline ?? Infinity, other.absoluteDeadline)
    }
    if (other.serverIdleDeadline !== undefined) {
      state.serverIdleDeadline = Math.max(state.serverIdleDeadline ?? 0, other.serverIdleDeadline)
    }
    if (other.pausedAt !== undefined && state.pausedAt === undefined) state.pausedAt = other.pausedAt
    this.check()
  }

  /** Phase (`paused` while paused and no warning is open) and time left to the nearer deadline, from the one clock. */
  get view(): { phase: 'active' | 'paused' | 'warning'; remainingMs: number; deadline: number } {
    const verdict = evaluateIdle(this.#clock(), this.#now())
    const phase = verdict.phase === 'warning' ? 'warning' : this.#state.pausedAt !== undefined ? 'paused' : 'active'
    return { phase, remainingMs: verdict.remainingMs, deadline: this.#wall(verdict.deadline) }
  }

  /** Pauses the idle timeout in every tab (a video, a long upload); the absolute deadline still comes. */
  pause(): void {
    if (this.#stopped || this.#state.pausedAt !== undefined) return
    const now = this.#now()
    this.#state.pausedAt = now
    this.#host.post({ type: 'pause', at: this.#wall(now) })
    this.#host.persist(this.snapshot)
    this.check()
  }

  /** Ends the pause in every tab; it counts as activity, so the whole timeout starts again. */
  resume(): void {
    if (this.#stopped || this.#state.pausedAt === undefined) return
    const now = this.#now()
    this.#resumed(now)
    this.#host.post({ type: 'resume', at: this.#wall(now) })
  }

  /** New settings (validated by the caller), in this tab; the absolute deadline can only come nearer. */
  update(options: NormalizedIdle): void {
    if (this.#stopped) return
    this.#options = options
    const { absoluteTimeout } = options
    if (absoluteTimeout !== undefined && this.#state.signedInAt !== undefined) {
      const limit = this.#state.signedInAt + absoluteTimeout
      this.#state.absoluteDeadline = Math.min(this.#state.absoluteDeadline ?? Infinity, limit)
    }
    this.#host.persist(this.snapshot)
    this.check()
  }

  #resumed(at: number): void {
    this.#state.pausedAt = undefined
    this.#state.lastActivityAt = Math.max(this.#state.lastActivityAt, at)
    this.#host.persist(this.snapshot)
    this.check()
  }

  /** A message from another tab (wall-clock epoch ms). */
  receive(message: TabMessage): void {
    if (this.#stopped) return
    if (message.type === 'activity') this.merge({ lastActivityAt: message.at })
    else if (message.type === 'pause') {
      this.#state.pausedAt ??= this.#steady(message.at)
      this.check()
    } else if (message.type === 'resume') {
      if (this.#state.pausedAt !== undefined) this.#resumed(this.#steady(message.at))
    } else if (message.type === 'extend') this.#extended(this.#steady(message.at))
    else if (message.type === 'keepalive') {
      this.#lastKeepaliveAt = Math.max(this.#lastKeepaliveAt, this.#steady(message.at))
      this.#remoteKeepalives++
      this.#applyServer(this.#serverFromWall(message))
    }
  }

  /** "Stay signed in": activity in every tab plus a keepalive. The absolute deadline cannot be extended. */
  async extend(): Promise<void> {
    if (this.#stopped) return
    if (this.#warning?.reason === 'absolute') return
    const now = this.#now()
    this.#host.post({ type: 'extend', at: this.#wall(now) })
    this.#extended(now)
    await this.#keepalive(now)
  }

  /** Recomputes from the clock: opens, ticks or closes the warning, expires, and arms the next wake-up. */
  check(): void {
    if (this.#stopped) return
    const now = this.#now()
    const verdict = evaluateIdle(this.#clock(), now)
    if (verdict.phase === 'expired') {
      this.stop()
      this.#host.expire(verdict.reason)
      return
    }
    if (verdict.phase === 'warning') {
      const second = Math.ceil(verdict.remainingMs / 1000)
      if (!this.#warning || this.#warning.deadline !== verdict.deadline) {
        this.#warning = verdict
        this.#lastSecond = second
        this.#host.warning(true)
        this.#host.emit('warning', {
          reason: verdict.reason,
          remainingMs: verdict.remainingMs,
          deadline: this.#wall(verdict.deadline),
        })
      } else if (second !== this.#lastSecond) {
        this.#lastSecond = second
        this.#host.emit('tick', { remainingMs: verdict.remainingMs })
      }
    } else if (this.#warning) {
      this.#warning = null
      this.#host.warning(false)
    }
    let next = verdict.nextCheckAt
    if (this.#state.pausedAt !== undefined && next !== null) {
      // Paused, nobody moves, yet the server's idle timer must not run out: keepalives go on.
      this.#maybeKeepalive(now)
      next = Math.min(next, this.#lastKeepaliveAt + this.#options.keepaliveInterval)
    }
    this.#host.schedule(next === null ? null : this.#wall(next))
    this.#notify(verdict)
  }

  /** Tells `host.changed` when the phase, the deadline or (in a warning) the second changed. */
  #notify(verdict: IdleVerdict): void {
    const paused = this.#state.pausedAt !== undefined
    const key = `${verdict.phase}:${paused}:${verdict.deadline}:${verdict.phase === 'warning' ? Math.ceil(verdict.remainingMs / 1000) : ''}`
    if (key === this.#viewKey) return
    this.#viewKey = key
    this.#host.changed?.()
  }

  stop(): void {
    clearTimeout(this.#trailing)
    this.#stopped = true
    this.#warning = null
    this.#host.schedule(null)
  }

  #extended(at: number): void {
    if (this.#stopped) return
    const wasWarning = this.#warning
    this.#warning = null
    if (wasWarning) this.#host.warning(false)
    this.#state.lastActivityAt = Math.max(this.#state.lastActivityAt, at)
    this.#state.serverIdleDeadline = undefined
    this.#host.persist(this.snapshot)
    this.check()
    if (wasWarning && !this.#warning) this.#host.emit('extended', { at: this.#wall(at) })
  }

  /** After the keepalive interval, or at once when the wall clock has jumped ahead since the last one (see `idle-clock.ts`). */
  #maybeKeepalive(now: number): void {
    const stepped = this.#host.clock.forwardSteps !== this.#stepsAtKeepalive
    if (stepped || now - this.#lastKeepaliveAt >= this.#options.keepaliveInterval) void this.#keepalive(now)
  }

  async #keepalive(now: number): Promise<void> {
    this.#lastKeepaliveAt = now
    this.#stepsAtKeepalive = this.#host.clock.forwardSteps
    const seen = this.#remoteKeepalives
    await this.#host.tryLock('keepalive', async () => {
      // Another tab told the server while this one waited for the lock: once is enough.
      if (seen !== this.#remoteKeepalives) return
      try {
        const deadlines = await this.#host.keepalive()
        if (!deadlines || this.#stopped) return
        // The vault gives them on the wall clock as it read when they arrived (it converts the server's own).
        this.#host.post({ type: 'keepalive', at: this.#wall(now), ...deadlines })
        this.#applyServer(this.#serverFromWall(deadlines))
      } catch (error) {
        if ((error as { code?: string })?.code === 'ERR_NETWORK')
          this.#host.emit('error', error as SessionEvents['error'])
      }
    })
  }

  /** The server's answer (steady times) can only bring the deadlines earlier than the client's own. */
  #applyServer(deadlines: ServerDeadlines): void {
    if (this.#stopped) return
    if (deadlines.idleExpiresAt !== undefined) this.#state.serverIdleDeadline = deadlines.idleExpiresAt
    if (deadlines.absoluteExpiresAt !== undefined) {
      this.#state.absoluteDeadline = Math.min(this.#state.absoluteDeadline ?? Infinity, deadlines.absoluteExpiresAt)
    }
    this.#host.persist(this.snapshot)
    this.check()
  }
}
