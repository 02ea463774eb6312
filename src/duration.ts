import { SessionVaultError } from './shared/errors.js'

/** A duration: milliseconds, or a string such as `'500ms'`, `'30s'`, `'15m'`, `'8h'`, `'1d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
/** What a value that is not a duration is told. */
export const DURATION_PROBLEM = "must be a non-negative number of milliseconds or a string like '30s', '15m', '8h'"
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/

/**
 * Parses a duration to whole milliseconds.
 * @throws SessionVaultError `ERR_BAD_OPTIONS` naming `field` when it does not parse or is negative.
 */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value)
  } else if (typeof value === 'string') {
    const match = PATTERN.exec(value.trim())
    if (match) return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!)
  }
  throw new SessionVaultError('ERR_BAD_OPTIONS', `${field} ${DURATION_PROBLEM}`)
}
