/**
 * The message layer between the page and the vault: numbered requests, one
 * answer each, and vault events. Both threads import this file. Replies carry
 * errors as {@link WireError} (name, code, message: no stack), and bodies
 * (ArrayBuffers, streams, a streamed body's port) are transferred, not copied.
 */
import {
  fromWireError,
  toWireError,
  VAULT_METHODS,
  type VaultApi,
  type VaultEvent,
  type VaultMethod,
  type WireError,
} from './protocol.js'

/** Page -> vault. */
export interface RpcRequest {
  sv: 1
  id: number
  method: VaultMethod
  args: unknown[]
}

/** Vault -> page. */
export type RpcReply =
  | { sv: 1; id: number; value: unknown }
  | { sv: 1; id: number; error: WireError }
  | { sv: 1; event: VaultEvent }

interface Port {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

const METHODS: ReadonlySet<string> = new Set(VAULT_METHODS)

/** The `body` of a request or response to transfer: an ArrayBuffer, a stream, or a streamed body's stream or port. */
const bodyOf = (value: unknown): Transferable[] => {
  const body = (value as { body?: unknown } | null)?.body
  if (body instanceof ArrayBuffer || (typeof ReadableStream === 'function' && body instanceof ReadableStream))
    return [body as Transferable]
  const wire =
    (body as { stream?: ReadableStream; port?: MessagePort } | null)?.stream ??
    (body as { port?: MessagePort } | null)?.port
  return wire ? [wire as Transferable] : []
}

/** Vault side: answers requests by calling `target`; returns how to push events. */
export function serve(port: Port, target: VaultApi): (event: VaultEvent) => void {
  port.addEventListener('message', async ({ data }: MessageEvent<RpcRequest>) => {
    if (data?.sv !== 1 || typeof data.id !== 'number' || !METHODS.has(data.method) || !Array.isArray(data.args)) return
    let reply: RpcReply
    try {
      const value = await (target[data.method] as (...args: unknown[]) => unknown)(...data.args)
      reply = { sv: 1, id: data.id, value }
    } catch (error) {
      reply = { sv: 1, id: data.id, error: toWireError(error) }
    }
    port.postMessage(reply, 'value' in reply ? bodyOf(reply.value) : [])
  })
  return event => port.postMessage({ sv: 1, event } satisfies RpcReply, [])
}

/** Page side: typed calls to the vault, and its events. */
export class RpcClient {
  #next = 0
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  /** Bound now: script that patches `Worker.prototype.postMessage` later cannot see or forge our calls. */
  readonly #post: Port['postMessage']

  constructor(port: Port, onEvent: (event: VaultEvent) => void) {
    this.#post = port.postMessage.bind(port)
    port.addEventListener('message', ({ data }: MessageEvent<RpcReply>) => {
      if (data?.sv !== 1) return
      if ('event' in data) return onEvent(data.event)
      const pending = this.#pending.get(data.id)
      if (!pending) return
      this.#pending.delete(data.id)
      if ('error' in data) pending.reject(fromWireError(data.error))
      else pending.resolve(data.value)
    })
  }

  /** Rejects every call still waiting for an answer (the worker is gone). */
  close(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }

  request<K extends VaultMethod>(
    method: K,
    ...args: Parameters<VaultApi[K]>
  ): Promise<Awaited<ReturnType<VaultApi[K]>>> {
    const id = ++this.#next
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.#post({ sv: 1, id, method, args } satisfies RpcRequest, args.flatMap(bodyOf))
    })
  }
}
