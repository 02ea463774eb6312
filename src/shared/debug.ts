/**
 * Diagnostics (`debug` option): lifecycle entries from both threads. An entry
 * holds only numbers, booleans and words from a fixed list (end reasons, error
 * codes): no URL, header, body or message ever goes in, so no secret can.
 */
import { ERROR_CODES } from './errors.js'
import { END_REASONS } from './protocol.js'

/** What a field of an entry may hold. */
export type DebugValue = number | boolean | string

/** One diagnostic entry. */
export interface DebugEntry {
  /** Epoch ms. */
  at: number
  /** Which thread it comes from: the page or the vault worker. */
  thread: 'page' | 'vault'
  /** What happened, e.g. `refresh`, `vault.keepalive`, `event.logout`. */
  event: string
  data: Record<string, DebugValue>
}

/** Event and field names: letters in dot- or dash-separated words (no digits, so no random string passes). */
const NAME = /^[a-z][a-zA-Z]{0,23}(?:[.-][a-zA-Z]{1,24}){0,2}$/
/** The only strings a field may hold: end reasons, error codes, refresh reasons, error names. */
const WORDS: ReadonlySet<string> = new Set<string>([
  ...END_REASONS,
  ...ERROR_CODES,
  'restore',
  'expiry',
  'rejected',
  'AbortError',
  'TimeoutError',
  'TypeError',
  'Error',
])
const REDACTED = '[redacted]'

const safe = (value: unknown): DebugValue | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return WORDS.has(value) ? value : REDACTED
  return undefined
}

/** An entry whose every field is checked: a value that is not a number, boolean or short name never gets in. */
export function debugEntry(
  thread: DebugEntry['thread'],
  event: unknown,
  data: unknown = {},
  at = Date.now(),
): DebugEntry {
  const fields: Record<string, DebugValue> = {}
  if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data).slice(0, 16)) {
      const checked = safe(value)
      if (checked !== undefined && NAME.test(key)) fields[key] = checked
    }
  }
  const name = typeof event === 'string' && NAME.test(event) ? event : REDACTED
  return { at: typeof at === 'number' && Number.isFinite(at) ? at : Date.now(), thread, event: name, data: fields }
}
