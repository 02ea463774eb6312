/**
 * The session deadlines a server sends, read on the server's clock. A server
 * says when the session ends as seconds from now (`idleExpiresIn`,
 * `absoluteExpiresIn`: no clock involved, preferred) or as epoch ms
 * (`idleExpiresAt`, `absoluteExpiresAt`) of its own clock, which may be
 * minutes away from this browser's. Epoch times are converted to this
 * browser's clock with the offset the answers' `Date` headers give, so a
 * client clock 20 minutes fast neither ends the session at once nor keeps it
 * past the server's deadline.
 */
import type { ServerDeadlines } from '../src/shared/protocol.js'
import { trace } from './debug-log.js'

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/**
 * `Date` has a resolution of one second (the server's time is somewhere in the second it names):
 * the top of that second is taken, so a deadline converted with the offset comes at most this much
 * early, never late (but for the answer's own time in transit).
 */
const DATE_RESOLUTION_MS = 1_000

/**
 * The session deadlines in a server's parsed JSON body (keepalive, cookie-mode session, token answers):
 * `idleExpiresIn` / `absoluteExpiresIn` (seconds from `now`, the local time the answer arrived:
 * preferred) or `idleExpiresAt` / `absoluteExpiresAt` (epoch ms on the server's clock, converted to
 * the local one: `offset` is server minus local time). Anything else counts as no deadlines.
 */
export function deadlinesOf(body: unknown, now: number = Date.now(), offset = 0): ServerDeadlines {
  const out: ServerDeadlines = {}
  if (typeof body !== 'object' || body === null) return out
  const record = body as Record<string, unknown>
  for (const kind of ['idle', 'absolute'] as const) {
    const relative = record[`${kind}ExpiresIn`]
    const absolute = record[`${kind}ExpiresAt`]
    if (finite(relative) && relative >= 0) out[`${kind}ExpiresAt`] = now + relative * 1000
    else if (finite(absolute)) out[`${kind}ExpiresAt`] = absolute - offset
  }
  return out
}

/** {@link deadlinesOf} for a body still in text form; text that is not JSON gives no deadlines. */
export function parseDeadlines(text: string, now: number = Date.now(), offset = 0): ServerDeadlines {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return {}
  }
  return deadlinesOf(body, now, offset)
}

/**
 * One session's estimate of the server's clock: the offset (server minus
 * local time) of the latest answer that carried a usable `Date` header. An
 * answer without one (a cross-origin server that does not list `Date` in
 * `Access-Control-Expose-Headers`, say) keeps the previous estimate: 0 until
 * the first.
 */
/** A change of the offset estimate this large is worth a debug entry. */
const SKEW_REPORT_MS = 2_000

export class ServerClock {
  #offset = 0
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** Server time minus local time, ms. */
  get offset(): number {
    return this.#offset
  }

  /** Reads an answer's `Date` against the local time now; returns that time (when the answer arrived). */
  observe(response: { headers: Headers }): number {
    const receivedAt = this.#now()
    const date = Date.parse(response.headers.get('Date') ?? '')
    if (Number.isFinite(date)) {
      const offset = date + DATE_RESOLUTION_MS - receivedAt
      if (Math.abs(offset - this.#offset) >= SKEW_REPORT_MS) trace('clock.skew', { offsetMs: offset })
      this.#offset = offset
    }
    return receivedAt
  }

  /** {@link deadlinesOf} with this clock's offset; `receivedAt` from {@link observe}. */
  deadlinesOf(body: unknown, receivedAt: number): ServerDeadlines {
    return deadlinesOf(body, receivedAt, this.#offset)
  }

  /** {@link parseDeadlines} with this clock's offset; `receivedAt` from {@link observe}. */
  parseDeadlines(text: string, receivedAt: number): ServerDeadlines {
    return parseDeadlines(text, receivedAt, this.#offset)
  }
}
