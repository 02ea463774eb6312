import type { EndReason, IdleSnapshot } from './protocol.js'

/** Wire version of the cross-tab messages; messages of any other version are dropped. */
export const TAB_PROTOCOL = 1

/** Messages on the BroadcastChannel. None carries a secret. */
export type TabMessage =
  | { v: 1; type: 'activity'; at: number }
  | { v: 1; type: 'extend'; at: number }
  | { v: 1; type: 'keepalive'; at: number; idleExpiresAt?: number; absoluteExpiresAt?: number }
  | { v: 1; type: 'logout'; id: string; reason: EndReason; at: number }
  | { v: 1; type: 'login'; at: number }
  | { v: 1; type: 'hello'; id: string }
  | { v: 1; type: 'state'; to: string; idle: IdleSnapshot }

const REASONS = new Set(['user', 'idle', 'absolute', 'remote', 'server', 'revoked', 'error'])
const DAY_MS = 24 * 3_600_000

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isTime = (value: unknown, now: number): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && Math.abs(value - now) < 366 * DAY_MS
const isRecent = (value: unknown, now: number): value is number =>
  isTime(value, now) && value <= now + 5_000 && value > now - DAY_MS
const isId = (value: unknown): value is string => typeof value === 'string' && /^[\w-]{8,64}$/.test(value)
const optionalTime = (value: unknown, now: number) => value === undefined || isTime(value, now)

function parseSnapshot(value: unknown, now: number): IdleSnapshot | null {
  if (!isRecord(value) || !isRecent(value.lastActivityAt, now)) return null
  if (!optionalTime(value.absoluteDeadline, now) || !optionalTime(value.serverIdleDeadline, now)) return null
  const snapshot: IdleSnapshot = { lastActivityAt: value.lastActivityAt }
  if (value.absoluteDeadline !== undefined) snapshot.absoluteDeadline = value.absoluteDeadline as number
  if (value.serverIdleDeadline !== undefined) snapshot.serverIdleDeadline = value.serverIdleDeadline as number
  return snapshot
}

/**
 * Validates a message from the channel. Anything malformed, of another
 * version, with unknown fields' types or implausible times returns null.
 * "Activity" can never be in the future by more than a few seconds.
 */
export function parseTabMessage(data: unknown, now: number): TabMessage | null {
  if (!isRecord(data) || data.v !== TAB_PROTOCOL || typeof data.type !== 'string') return null
  switch (data.type) {
    case 'activity':
    case 'extend':
    case 'login':
      return isRecent(data.at, now) ? { v: 1, type: data.type, at: data.at } : null
    case 'keepalive': {
      if (!isRecent(data.at, now) || !optionalTime(data.idleExpiresAt, now) || !optionalTime(data.absoluteExpiresAt, now)) return null
      const message: TabMessage = { v: 1, type: 'keepalive', at: data.at }
      if (data.idleExpiresAt !== undefined) message.idleExpiresAt = data.idleExpiresAt as number
      if (data.absoluteExpiresAt !== undefined) message.absoluteExpiresAt = data.absoluteExpiresAt as number
      return message
    }
    case 'logout':
      return isId(data.id) && typeof data.reason === 'string' && REASONS.has(data.reason) && isRecent(data.at, now)
        ? { v: 1, type: 'logout', id: data.id, reason: data.reason as EndReason, at: data.at }
        : null
    case 'hello':
      return isId(data.id) ? { v: 1, type: 'hello', id: data.id } : null
    case 'state': {
      const idle = parseSnapshot(data.idle, now)
      return isId(data.to) && idle ? { v: 1, type: 'state', to: data.to, idle } : null
    }
    default:
      return null
  }
}

/** A random id for logout dedupe and hello/state pairing. */
export const randomId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')
