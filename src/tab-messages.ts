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

const DAY_MS = 24 * 3_600_000
const BAD = Symbol('bad')

/** A field check: the value to keep (undefined: absent), or BAD. */
type Field = (value: unknown, now: number) => unknown

const isTime = (value: unknown, now: number): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && Math.abs(value - now) < 366 * DAY_MS
/** A moment that has happened: "activity" can never be in the future by more than a few seconds. */
const recent: Field = (value, now) => (isTime(value, now) && value <= now + 5_000 && value > now - DAY_MS ? value : BAD)
const optionalTime: Field = (value, now) => (value === undefined || isTime(value, now) ? value : BAD)
const id: Field = (value) => (typeof value === 'string' && /^[\w-]{8,64}$/.test(value) ? value : BAD)
const reason: Field = (value) =>
  ['user', 'idle', 'absolute', 'remote', 'server', 'revoked', 'error'].includes(value as string) ? value : BAD
const SNAPSHOT: Record<string, Field> = { lastActivityAt: recent, absoluteDeadline: optionalTime, serverIdleDeadline: optionalTime }
const snapshot: Field = (value, now) => pick(value, SNAPSHOT, now) ?? BAD

/** The fields of each message type; anything else in a message is dropped. */
const SCHEMA: Record<string, Record<string, Field>> = {
  activity: { at: recent },
  extend: { at: recent },
  login: { at: recent },
  keepalive: { at: recent, idleExpiresAt: optionalTime, absoluteExpiresAt: optionalTime },
  logout: { id, reason, at: recent },
  hello: { id },
  state: { to: id, idle: snapshot },
}

function pick(data: unknown, fields: Record<string, Field>, now: number): Record<string, unknown> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const picked: Record<string, unknown> = {}
  for (const [key, check] of Object.entries(fields)) {
    const value = check((data as Record<string, unknown>)[key], now)
    if (value === BAD) return null
    if (value !== undefined) picked[key] = value
  }
  return picked
}

/**
 * Validates a message from the channel. Anything malformed, of another
 * version, with fields of the wrong type or implausible times returns null.
 */
export function parseTabMessage(data: unknown, now: number): TabMessage | null {
  const { v, type } = (data ?? {}) as { v?: unknown; type?: unknown }
  if (v !== TAB_PROTOCOL || typeof type !== 'string' || !Object.hasOwn(SCHEMA, type)) return null
  const fields = pick(data, SCHEMA[type]!, now)
  return fields && ({ v: 1, type, ...fields } as TabMessage)
}

/** A moment that has happened, however long ago: a stored snapshot may be days old. */
const past: Field = (value, now) => (isTime(value, now) && value <= now + 5_000 ? value : BAD)

/**
 * Validates an idle snapshot read back from storage (the vault's IndexedDB)
 * with the rules of the channel's `state` message (plausible times, no
 * activity in the future), and the sign-in time it must carry. Null when
 * malformed. Used by the vault only.
 */
export function parseStoredSnapshot(data: unknown, now: number): (IdleSnapshot & { signedInAt: number }) | null {
  return pick(data, { ...SNAPSHOT, lastActivityAt: past, signedInAt: past }, now) as (IdleSnapshot & { signedInAt: number }) | null
}

/** A random id for logout dedupe and hello/state pairing. */
export const randomId = (): string => crypto.randomUUID()
