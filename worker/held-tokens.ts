import { withLock } from '../src/shared/locks.js'
import { trace } from './debug-log.js'
import type { TokenSet } from './token-response.js'

/** Refresh this long before expiry (or at half the lifetime of shorter-lived tokens). */
export const REFRESH_MARGIN_MS = 30_000

/** Why a refresh runs: at start-up, because the tokens are about to expire, or after a 401. */
export type RefreshReason = 'restore' | 'expiry' | 'rejected'

/** A held token set: the tokens, when to refresh them, and which set it is; `E` is the mode's own bookkeeping. */
export type Held<E> = E & {
  accessToken: string
  refreshToken?: string
  expiresAt?: number
  refreshAt?: number
  /** Counts the token sets held: a 401 to an older generation needs no refresh. */
  generation: number
}

/**
 * The token set an authenticator (token or OAuth mode) holds, and its refresh
 * bookkeeping: expiry and refresh times from the lifetime the server gave,
 * one generation per set, and single-flight refresh (one promise per tab,
 * one Web Lock across tabs).
 */
export class HeldTokens<E extends object> {
  #held: Held<E> | undefined
  #generation = 0
  #refreshing: Promise<boolean> | undefined
  readonly #lockName: string
  readonly #now: () => number

  /** @param lockName the Web Lock every tab's refresh of this session takes */
  constructor(lockName: string, now: () => number) {
    this.#lockName = lockName
    this.#now = now
  }

  get current(): Held<E> | undefined {
    return this.#held
  }

  /** Holds a new token set (a new generation), received at `receivedAt`. */
  hold(
    tokens: Pick<TokenSet, 'accessToken' | 'expiresIn'>,
    refreshToken: string | undefined,
    extra: E,
    receivedAt: number = this.#now(),
  ): Held<E> {
    const lifetime = tokens.expiresIn === undefined ? undefined : tokens.expiresIn * 1000
    this.#held = {
      ...extra,
      accessToken: tokens.accessToken,
      refreshToken,
      expiresAt: lifetime === undefined ? undefined : receivedAt + lifetime,
      refreshAt: lifetime === undefined ? undefined : receivedAt + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2),
      generation: ++this.#generation,
    }
    return this.#held
  }

  clear(): void {
    this.#held = undefined
  }

  /** Whether the held tokens have reached their refresh time. */
  due(): boolean {
    const refreshAt = this.#held?.refreshAt
    return refreshAt !== undefined && this.#now() >= refreshAt
  }

  /**
   * Runs `task` (the refresh itself) under the lock, unless one is already
   * running in this tab (then its result is shared) or, with `stale`, the
   * tokens have already moved past that generation (then nothing is sent).
   * Resolves whether the session is (still) authenticated.
   */
  /** Runs `task` (a re-authentication, which also replaces the tokens) after any refresh in flight, under the same lock. */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.#refreshing?.catch(() => {})
    return withLock(this.#lockName, task)
  }

  refresh(stale: number | undefined, task: () => Promise<boolean>): Promise<boolean> {
    if (stale !== undefined && this.#held && this.#held.generation !== stale) return Promise.resolve(true)
    const asked = this.#now()
    this.#refreshing ??= withLock(this.#lockName, () => {
      trace('lock.refresh', { waitedMs: this.#now() - asked })
      return task()
    }).finally(() => {
      this.#refreshing = undefined
    })
    return this.#refreshing
  }
}
