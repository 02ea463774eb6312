import type { ServerDeadlines } from '../src/shared/protocol.js'

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/**
 * The session deadlines in a server's parsed JSON body (keepalive, cookie-mode session, token answers):
 * `idleExpiresIn` / `absoluteExpiresIn` (seconds from `now`, preferred: no clock involved) or
 * `idleExpiresAt` / `absoluteExpiresAt` (epoch ms). Anything else counts as no deadlines.
 */
export function deadlinesOf(body: unknown, now: number = Date.now()): ServerDeadlines {
  const out: ServerDeadlines = {}
  if (typeof body !== 'object' || body === null) return out
  const record = body as Record<string, unknown>
  for (const kind of ['idle', 'absolute'] as const) {
    const relative = record[`${kind}ExpiresIn`]
    const absolute = record[`${kind}ExpiresAt`]
    if (finite(relative) && relative >= 0) out[`${kind}ExpiresAt`] = now + relative * 1000
    else if (finite(absolute)) out[`${kind}ExpiresAt`] = absolute
  }
  return out
}

/** {@link deadlinesOf} for a body still in text form; text that is not JSON gives no deadlines. */
export function parseDeadlines(text: string, now: number = Date.now()): ServerDeadlines {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return {}
  }
  return deadlinesOf(body, now)
}
