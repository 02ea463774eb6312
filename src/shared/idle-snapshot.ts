/**
 * Rules for the epoch times the tabs and the vault exchange, and for the idle
 * snapshot made of them: shared by the channel's `state` message (page) and
 * the snapshot the vault reads back from IndexedDB, which any script of the
 * origin can write.
 */
import type { IdleSnapshot } from './protocol.js'
import { fail, object, optional, parseOrNull, type Rule } from './schema.js'

const DAY_MS = 24 * 3_600_000
/** How far ahead of this tab's clock another tab's "now" may be (clock granularity, scheduling). */
const FUTURE_SLACK_MS = 5_000

/** Rules that need the current time. */
export type TimeRule = Rule<number, number>

const isTime = (value: unknown, now: number): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && Math.abs(value - now) < 366 * DAY_MS

/** Any plausible epoch time (within a year of now). */
export const time: TimeRule = (value, path, now) =>
  isTime(value, now) ? value : fail(path, 'must be a plausible time')

/** A moment that has happened, however long ago (a stored snapshot may be days old). */
export const past: TimeRule = (value, path, now) =>
  isTime(value, now) && value <= now + FUTURE_SLACK_MS ? value : fail(path, 'must be a time in the past')

/** A moment that has just happened: activity is never in the future, and never more than a day old. */
export const recent: TimeRule = (value, path, now) =>
  isTime(value, now) && value <= now + FUTURE_SLACK_MS && value > now - DAY_MS
    ? value
    : fail(path, 'must be a recent time')

export const optionalTime = optional(time)

/** The snapshot as the `state` message carries it. */
export const snapshot = object(
  {
    lastActivityAt: recent,
    absoluteDeadline: optionalTime,
    serverIdleDeadline: optionalTime,
    pausedAt: optional(past),
  },
  'drop',
) satisfies Rule<IdleSnapshot, number>

const stored = object(
  {
    lastActivityAt: past,
    signedInAt: past,
    absoluteDeadline: optionalTime,
    serverIdleDeadline: optionalTime,
    pausedAt: optional(past),
  },
  'drop',
)

/**
 * Validates an idle snapshot read back from storage with the rules of the
 * channel's `state` message (plausible times, no activity in the future),
 * and the sign-in time it must carry. Null when malformed.
 */
export function parseStoredSnapshot(data: unknown, now: number): (IdleSnapshot & { signedInAt: number }) | null {
  return parseOrNull(stored, data, now)
}
