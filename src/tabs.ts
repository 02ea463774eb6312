import { parseTabMessage, TAB_PROTOCOL, type TabMessage } from './tab-messages.js'

/** A message as posted: the version is added by the channel. */
export type OutgoingTabMessage = TabMessage extends infer M ? (M extends TabMessage ? Omit<M, 'v'> : never) : never

/**
 * The BroadcastChannel between the tabs of one app. Incoming messages are
 * validated (malformed ones dropped) and logouts deduplicated by id.
 */
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
