/** The backoff of a start-up restore that could not reach the server: about 1, 2, 4 … 30 s, each ±20 %. */
export const RESTORE_BACKOFF = { firstMs: 1_000, maxMs: 30_000, jitter: 0.2 } as const

/** The wait before retry number `attempt` (0 for the first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const { firstMs, maxMs, jitter } = RESTORE_BACKOFF
  const base = Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 30))
  return Math.round(base * (1 - jitter + 2 * jitter * random()))
}

/** What the retries are doing: the payload of the session's `restoring` event. */
export interface RestoreRetryState {
  active: boolean
  /** Epoch ms of the next scheduled attempt, while active. */
  retryAt?: number
}

/** What one attempt found: a definite answer (signed in or not) ends the retries; `unknown` schedules another. */
export type RestoreOutcome = 'known' | 'unknown'

/**
 * Retries a restore that could not reach the server, with backoff, and at once when `now()` is
 * called (the page came back online or got the focus). One attempt at a time; `stop()` ends it
 * (a sign-in in this tab or another, the session ending). `onChange` hears every change of
 * `active` and of the next attempt's time.
 */
export class RestoreRetry {
  readonly #attempt: () => Promise<RestoreOutcome>
  readonly #onChange: (state: RestoreRetryState) => void
  #active = false
  #running = false
  #failures = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(attempt: () => Promise<RestoreOutcome>, onChange: (state: RestoreRetryState) => void) {
    this.#attempt = attempt
    this.#onChange = onChange
  }

  get active(): boolean {
    return this.#active
  }

  /** The first attempt failed: schedule the next. */
  start(): void {
    if (this.#active) return
    this.#active = true
    this.#failures = 0
    this.#schedule()
  }

  /** Try again at once (online, focus), unless an attempt is under way. */
  now(): void {
    if (!this.#active || this.#running) return
    clearTimeout(this.#timer)
    void this.#run()
  }

  stop(): void {
    if (!this.#active) return
    this.#active = false
    clearTimeout(this.#timer)
    this.#onChange({ active: false })
  }

  #schedule(): void {
    const delay = backoffDelay(this.#failures)
    this.#timer = setTimeout(() => void this.#run(), delay)
    this.#onChange({ active: true, retryAt: Date.now() + delay })
  }

  async #run(): Promise<void> {
    this.#running = true
    let outcome: RestoreOutcome
    try {
      outcome = await this.#attempt()
    } catch {
      outcome = 'known'
    } finally {
      this.#running = false
    }
    if (!this.#active) return
    if (outcome === 'known') return this.stop()
    this.#failures++
    this.#schedule()
  }
}
