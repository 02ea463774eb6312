/**
 * The BroadcastChannel between the tabs of one app: the messages, their
 * validator, and the channel that drops malformed ones and deduplicates
 * logouts. No message carries a secret.
 */
import { optionalTime, recent, snapshot } from './shared/idle-snapshot.js'
import { END_REASONS, type EndReason, type IdleSnapshot } from './shared/protocol.js'
import { fail, object, oneOf, optional, parseOrNull, type Rule, refine, string, union } from './shared/schema.js'

/** Wire version of the cross-tab messages; messages of any other version are dropped. */
export const TAB_PROTOCOL = 1

export type TabMessage =
  | { v: 1; type: 'activity'; at: number }
  | { v: 1; type: 'extend'; at: number }
  | { v: 1; type: 'keepalive'; at: number; idleExpiresAt?: number; absoluteExpiresAt?: number }
  /** A tab made the monitor's status check. */
  | { v: 1; type: 'status'; at: number }
  | { v: 1; type: 'pause'; at: number }
  | { v: 1; type: 'resume'; at: number }
  /** `session.idle.update()` in a tab: the new idle settings, ms. */
  | { v: 1; type: 'settings'; idle: IdleSettings }
  | { v: 1; type: 'logout'; id: string; reason: EndReason; at: number }
  | { v: 1; type: 'login'; at: number }
  | { v: 1; type: 'hello'; id: string }
  | { v: 1; type: 'state'; to: string; idle: IdleSnapshot }

/** A message as posted: the version is added by the channel. */
export type OutgoingTabMessage = TabMessage extends infer M ? (M extends TabMessage ? Omit<M, 'v'> : never) : never

const version = oneOf([TAB_PROTOCOL], 'must be the channel version')
const id = string('must be an id', value => /^[\w-]{8,64}$/.test(value))
const reason = oneOf(END_REASONS, 'must be an end reason')
const message = <T extends string, S extends Record<string, Rule<unknown, number>>>(type: T, fields: S) =>
  object({ v: version, type: oneOf([type], 'must be the message type'), ...fields }, 'drop')

/** Idle settings as `update` shares them: positive durations, the warning shorter than the timeout. */
export interface IdleSettings {
  timeout: number
  warnBefore: number
  keepaliveInterval: number
  absoluteTimeout?: number
}

const MAX_DURATION_MS = 366 * 24 * 3_600_000
const ms: Rule<number, number> = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_DURATION_MS
    ? value
    : fail(path, 'must be a duration')
const settings = refine(
  object({ timeout: ms, warnBefore: ms, keepaliveInterval: ms, absoluteTimeout: optional(ms) }, 'drop'),
  (s: IdleSettings) =>
    s.timeout > 0 && s.warnBefore < s.timeout && s.keepaliveInterval > 0 && s.keepaliveInterval < s.timeout
      ? undefined
      : 'must be consistent idle settings',
)

/** The fields of each message type; anything else in a message is dropped. */
const TAB_MESSAGE = union(
  {
    activity: message('activity', { at: recent }),
    extend: message('extend', { at: recent }),
    login: message('login', { at: recent }),
    status: message('status', { at: recent }),
    pause: message('pause', { at: recent }),
    resume: message('resume', { at: recent }),
    settings: message('settings', { idle: settings }),
    keepalive: message('keepalive', { at: recent, idleExpiresAt: optionalTime, absoluteExpiresAt: optionalTime }),
    logout: message('logout', { id, reason, at: recent }),
    hello: message('hello', { id }),
    state: message('state', { to: id, idle: snapshot }),
  },
  'type',
  'must be a message type',
)

/**
 * Validates a message from the channel. Anything malformed, of another
 * version, with fields of the wrong type or implausible times returns null.
 */
export function parseTabMessage(data: unknown, now: number): TabMessage | null {
  return parseOrNull(TAB_MESSAGE, data, now) as TabMessage | null
}

/** A random id for logout dedupe and hello/state pairing. */
export const randomId = (): string => crypto.randomUUID()

/** The channel: validated messages in, versioned messages out, each logout handled once. */
export class TabChannel {
  readonly #channel: BroadcastChannel | null
  readonly #seenLogouts = new Set<string>()

  constructor(name: string, onMessage: (message: TabMessage) => void, now: () => number = Date.now) {
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null
    this.#channel?.addEventListener('message', (event: MessageEvent) => {
      const message = parseTabMessage(event.data, now())
      if (!message) return
      if (message.type === 'logout') {
        if (this.#seenLogouts.has(message.id)) return
        this.#seenLogouts.add(message.id)
      }
      onMessage(message)
    })
  }

  post(message: OutgoingTabMessage): void {
    if (message.type === 'logout') this.#seenLogouts.add(message.id)
    try {
      this.#channel?.postMessage({ v: TAB_PROTOCOL, ...message })
    } catch {
      /* closed channel: nothing to tell */
    }
  }

  close(): void {
    this.#channel?.close()
  }
}
