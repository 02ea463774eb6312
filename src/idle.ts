import { evaluateIdle, type IdleClockInput, type IdleVerdict, idleDeadlineOf } from './idle-clock.js'
import type { NormalizedIdle } from './options.js'
import type { IdleSnapshot, ServerDeadlines } from './shared/protocol.js'
import type { OutgoingTabMessage, TabMessage } from './tab-channel.js'
import type { SessionEvents } from './types.js'

/** What the idle controller needs from its session. */
export interface IdleHost {
  now(): number
  /** Arms the vault's wake-up timer. */
  schedule(at: number | null): void
  keepalive(): Promise<ServerDeadlines | null>
  persist(snapshot: IdleSnapshot): void
  post(message: OutgoingTabMessage): void
  /** Runs `task` while holding an exclusive cross-tab lock; after a bounded wait, without it. */
  tryLock(name: string, task: () => Promise<void>): Promise<void>
  expire(reason: 'idle' | 'absolute'): void
  warning(open: boolean): void
  emit<K extends keyof SessionEvents>(name: K, payload: SessionEvents[K]): void
}

const BROADCAST_EVERY_MS = 1_000

/**
 * Idle state of one tab: the shared timestamps, the activity throttle, the
 * warning phase and the keepalive cadence. Time comes from `host.now()`;
 * every decision comes from {@link evaluateIdle}.
 */
export class IdleController {
  #state: IdleSnapshot
  #warning: IdleVerdict | null = null
  #lastSecond = -1
  #lastBroadcastAt = 0
  #lastKeepaliveAt = 0
  /** Keepalives other tabs reported. */
  #remoteKeepalives = 0
  #stopped = false
  #trailing: ReturnType<typeof setTimeout> | undefined

  readonly #options: NormalizedIdle
  readonly #host: IdleHost

  constructor(options: NormalizedIdle, host: IdleHost, start: IdleSnapshot) {
    this.#options = options
    this.#host = host
    this.#state = { ...start }
    this.#lastKeepaliveAt = start.lastActivityAt
  }

  /** The open warning, if any. */
  get warning(): IdleVerdict | null {
    return this.#warning
  }

  get snapshot(): IdleSnapshot {
    return { ...this.#state }
  }

  get deadlines(): { idleDeadline: number; absoluteDeadline?: number } {
    return { idleDeadline: idleDeadlineOf(this.#clock()), absoluteDeadline: this.#state.absoluteDeadline }
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
    const now = this.#host.now()
    this.#state.lastActivityAt = now
    const wait = this.#lastBroadcastAt + BROADCAST_EVERY_MS - now
    if (wait <= 0) this.#broadcast()
    else this.#trailing ??= setTimeout(() => this.#broadcast(), wait)
  }

  #broadcast(): void {
    clearTimeout(this.#trailing)
    this.#trailing = undefined
    if (this.#stopped || this.#warning) return
    const at = this.#state.lastActivityAt
    this.#lastBroadcastAt = this.#host.now()
    this.#host.post({ type: 'activity', at })
    this.#host.emit('activity', { at })
    this.#host.persist(this.snapshot)
    this.#maybeKeepalive(this.#lastBroadcastAt)
    this.check()
  }

  /** Merges state from another tab or from storage: the latest activity and the earliest deadlines win. */
  merge(other: Partial<IdleSnapshot>): void {
    if (this.#stopped) return
    const state = this.#state
    if (other.lastActivityAt !== undefined && !this.#warning) {
      state.lastActivityAt = Math.max(state.lastActivityAt, other.lastActivityAt)
    }
    if (other.absoluteDeadline !== undefined) {
      state.absoluteDeadline = Math.min(state.absoluteDeadline ?? Infinity, other.absoluteDeadline)
    }
    if (other.serverIdleDeadline !== undefined) {
      state.serverIdleDeadline = Math.max(state.serverIdleDeadline ?? 0, other.serverIdleDeadline)
    }
    this.check()
  }

  /** A message from another tab. */
  receive(message: TabMessage): void {
    if (message.type === 'activity') this.merge({ lastActivityAt: message.at })
    else if (message.type === 'extend') this.#extended(message.at)
    else if (message.type === 'keepalive') {
      this.#lastKeepaliveAt = Math.max(this.#lastKeepaliveAt, message.at)
      this.#remoteKeepalives++
      this.#applyServer(message)
    }
  }

  /** "Stay signed in": activity in every tab plus a keepalive. The absolute deadline cannot be extended. */
  async extend(): Promise<void> {
    if (this.#stopped) return
    if (this.#warning?.reason === 'absolute') return
    const now = this.#host.now()
    this.#host.post({ type: 'extend', at: now })
    this.#extended(now)
    await this.#keepalive(now)
  }

  /** Recomputes from the clock: opens, ticks or closes the warning, expires, and arms the next wake-up. */
  check(): void {
    if (this.#stopped) return
    const now = this.#host.now()
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
          deadline: verdict.deadline,
        })
      } else if (second !== this.#lastSecond) {
        this.#lastSecond = second
        this.#host.emit('tick', { remainingMs: verdict.remainingMs })
      }
    } else if (this.#warning) {
      this.#warning = null
      this.#host.warning(false)
    }
    this.#host.schedule(verdict.nextCheckAt)
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
    if (wasWarning && !this.#warning) this.#host.emit('extended', { at })
  }

  #maybeKeepalive(now: number): void {
    if (now - this.#lastKeepaliveAt >= this.#options.keepaliveInterval) void this.#keepalive(now)
  }

  async #keepalive(now: number): Promise<void> {
    this.#lastKeepaliveAt = now
    const seen = this.#remoteKeepalives
    await this.#host.tryLock('keepalive', async () => {
      // Another tab told the server while this one waited for the lock: once is enough.
      if (seen !== this.#remoteKeepalives) return
      try {
        const deadlines = await this.#host.keepalive()
        if (!deadlines || this.#stopped) return
        this.#host.post({ type: 'keepalive', at: now, ...deadlines })
        this.#applyServer(deadlines)
      } catch (error) {
        if ((error as { code?: string })?.code === 'ERR_NETWORK')
          this.#host.emit('error', error as SessionEvents['error'])
      }
    })
  }

  /** The server's answer can only bring the deadlines earlier than the client's own. */
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
