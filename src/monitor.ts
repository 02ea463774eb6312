/**
 * The revocation monitor: every `interval`, one tab of the app asks the
 * server's status endpoint whether the session still lives. A check never
 * counts as activity; the vault ends the session when the server says 401.
 */
import type { NormalizedMonitor } from './options.js'
import type { OutgoingTabMessage } from './tab-channel.js'

/** Checks on focus come at most this often, however often the tab is focused. */
const MIN_FOCUS_GAP_MS = 1_000

export interface MonitorHost {
  /** The status check itself (the vault's `status`); a refused session is ended by the vault, not here. */
  check(): Promise<unknown>
  post(message: OutgoingTabMessage): void
  /** Runs `task` under the app's cross-tab lock `name` (a bounded wait, then without it). */
  tryLock(name: string, task: () => Promise<void>): Promise<void>
  /** A check that failed for a reason other than the session being gone (the server unreachable, say). */
  failed(error: unknown): void
}

export class StatusMonitor {
  readonly #options: NormalizedMonitor
  readonly #host: MonitorHost
  readonly #now: () => number
  /** Wall-clock epoch ms of the latest check made by any tab. */
  #lastCheckAt = Number.NEGATIVE_INFINITY
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(options: NormalizedMonitor, host: MonitorHost, now: () => number = Date.now) {
    this.#options = options
    this.#host = host
    this.#now = now
    this.#schedule(options.interval)
  }

  /** Another tab checked at `at`: this one waits a whole interval from then. */
  heard(at: number): void {
    this.#lastCheckAt = Math.max(this.#lastCheckAt, at)
    this.#schedule(this.#dueIn())
  }

  /** The tab was focused or became visible (or woke from sleep): check now, with `onFocus`. */
  focus(): void {
    if (this.#options.onFocus && !this.#checkedWithin(MIN_FOCUS_GAP_MS)) void this.#run(MIN_FOCUS_GAP_MS)
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  /** Checks unless some tab did within `gap` ms; the lock makes the tabs take turns. */
  async #run(gap: number): Promise<void> {
    if (this.#stopped) return
    await this.#host.tryLock('monitor', async () => {
      if (this.#stopped || this.#checkedWithin(gap)) return
      const at = this.#now()
      this.#lastCheckAt = at
      this.#host.post({ type: 'status', at })
      try {
        await this.#host.check()
      } catch (error) {
        if (!this.#stopped) this.#host.failed(error)
      }
    })
    this.#schedule(this.#dueIn())
  }

  #checkedWithin(ms: number): boolean {
    const since = this.#now() - this.#lastCheckAt
    // A clock set back makes the last check look as if it were in the future: it does not count.
    return since >= 0 && since < ms
  }

  #dueIn(): number {
    const since = this.#now() - this.#lastCheckAt
    return since < 0 ? 0 : Math.min(this.#options.interval, Math.max(0, this.#options.interval - since))
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer)
    if (this.#stopped) return
    this.#timer = setTimeout(() => void this.#run(this.#options.interval / 2), ms)
  }
}
