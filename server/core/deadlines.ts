import type { SessionRecord } from './store.js'

/** The keepalive / status answer body: epoch ms and seconds left. */
export function deadlinesOf(session: SessionRecord, now: number) {
  return {
    idleExpiresAt: session.idleExpiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
    idleExpiresIn: Math.max(0, Math.floor((session.idleExpiresAt - now) / 1000)),
    absoluteExpiresIn: Math.max(0, Math.floor((session.absoluteExpiresAt - now) / 1000)),
  }
}
