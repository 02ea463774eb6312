/**
 * A `session.fetch` response body on its way from the vault to the page, as
 * the network delivers it. Where the engine can transfer a `ReadableStream`
 * the vault hands over a stream; elsewhere (WebKit) a `MessagePort` carries
 * the chunks, and the vault reads from the network only as far as the page
 * has granted credit. Either way errors cross as {@link WireError}s.
 */
import { fromWireError, toWireError, type WireError } from './protocol.js'
import { tooLarge } from './read-body.js'

/** How a streamed body crosses the boundary. */
export type BodyWire = { stream: ReadableStream<Uint8Array> } | { port: MessagePort }

/** Vault -> page over the port: one chunk, the end, or the error that ended it. */
type ChunkMessage = { chunk: Uint8Array } | { done: true } | { error: WireError }
/** Page -> vault over the port: read `credit` more chunks, or stop. */
type CreditMessage = { credit: number } | { cancel: true }

/** Chunks the page lets the vault read ahead over a port: enough to keep the wire busy, bounded memory. */
const READ_AHEAD = 2

/** Whether this realm can hand a ReadableStream to another thread (not WebKit). */
export function canTransferStreams(): boolean {
  try {
    const stream = new ReadableStream()
    structuredClone(stream, { transfer: [stream] })
    return true
  } catch {
    return false
  }
}

/** What the vault needs to know about one body's lifetime. */
export interface BodyLimits {
  maxBytes: number
  /** Called once, when the body ended for any reason (read to the end, failed, cancelled). */
  end(): void
  /** The error to report for `error` (an aborted request's reason, say). */
  reason(error: unknown): unknown
}

interface Source {
  /** The next chunk, or undefined at the end; rejects with a WireError. */
  read(): Promise<Uint8Array | undefined>
  cancel(reason?: unknown): Promise<void>
}

/** Vault side: the network body, counted against `maxBytes`, failing with wire errors. */
function networkSource(body: ReadableStream<Uint8Array>, limits: BodyLimits): Source {
  const reader = body.getReader()
  let size = 0
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    limits.end()
  }
  return {
    async read() {
      try {
        const { done, value } = await reader.read()
        if (done) return void end()
        size += value.byteLength
        if (size > limits.maxBytes) {
          reader.cancel().catch(() => {})
          throw tooLarge(limits.maxBytes)
        }
        return value
      } catch (error) {
        end()
        throw toWireError(limits.reason(error))
      }
    },
    async cancel(reason) {
      end()
      await reader.cancel(reason).catch(() => {})
    },
  }
}

/** Vault side: hands `body` over as a transferable stream, or as chunks over a port. */
export function sendBody(body: ReadableStream<Uint8Array>, limits: BodyLimits, transfer: boolean): BodyWire {
  const source = networkSource(body, limits)
  if (transfer) {
    return {
      stream: new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await source.read()
          if (chunk) controller.enqueue(chunk)
          else controller.close()
        },
        cancel: reason => source.cancel(reason),
      }),
    }
  }
  const { port1, port2 } = new MessageChannel()
  let credit = 0
  let pumping = false
  const post = (message: ChunkMessage, transferList: Transferable[] = []) => port1.postMessage(message, transferList)
  const pump = async () => {
    if (pumping) return
    pumping = true
    try {
      while (credit > 0) {
        credit--
        const chunk = await source.read()
        if (!chunk) {
          post({ done: true })
          return port1.close()
        }
        post({ chunk }, [chunk.buffer as ArrayBuffer])
      }
    } catch (error) {
      post({ error: error as WireError })
      port1.close()
    } finally {
      pumping = false
    }
  }
  port1.onmessage = ({ data }: MessageEvent<CreditMessage>) => {
    if (data && 'cancel' in data) {
      port1.close()
      return void source.cancel()
    }
    const more = (data as { credit?: unknown } | null)?.credit
    if (typeof more === 'number' && Number.isSafeInteger(more) && more > 0 && more <= READ_AHEAD) {
      credit += more
      void pump()
    }
  }
  return { port: port2 }
}

const isWireError = (value: unknown): value is WireError =>
  typeof value === 'object' && value !== null && typeof (value as WireError).message === 'string'

const pageError = (error: unknown): Error => fromWireError(isWireError(error) ? error : toWireError(error))

/** Page side, a transferred stream: its errors become the SDK's errors again. */
function streamSource(stream: ReadableStream<Uint8Array>): Source {
  const reader = stream.getReader()
  return {
    async read() {
      try {
        const { done, value } = await reader.read()
        return done ? undefined : value
      } catch (error) {
        throw pageError(error)
      }
    },
    cancel: reason => reader.cancel(reason).catch(() => {}),
  }
}

/** Page side, a port: grants credit as chunks are taken, so at most READ_AHEAD wait in this thread. */
function portSource(port: MessagePort): Source {
  const arrived: ChunkMessage[] = []
  let waiting: ((message: ChunkMessage) => void) | undefined
  let granted = false
  port.onmessage = ({ data }: MessageEvent<ChunkMessage>) => {
    const valid =
      data &&
      (('chunk' in data && data.chunk instanceof Uint8Array) ||
        ('done' in data && data.done === true) ||
        ('error' in data && isWireError(data.error)))
    const message: ChunkMessage = valid ? data : { error: toWireError(new TypeError('Malformed body chunk')) }
    if (waiting) waiting(message)
    else arrived.push(message)
    waiting = undefined
  }
  const send = (message: CreditMessage) => port.postMessage(message)
  return {
    async read() {
      if (!granted) {
        granted = true
        send({ credit: READ_AHEAD })
      }
      const message = arrived.shift() ?? (await new Promise<ChunkMessage>(resolve => (waiting = resolve)))
      if ('chunk' in message) {
        send({ credit: 1 })
        return message.chunk
      }
      port.close()
      if ('error' in message) throw fromWireError(message.error)
      return undefined
    },
    async cancel() {
      send({ cancel: true })
      port.close()
    },
  }
}

/**
 * Page side: the body as the page's own `ReadableStream`, pulled only as it is
 * read. Aborting `signal` errors it with the signal's reason and stops the
 * vault's read, as with `fetch`; cancelling it stops the vault's request; when
 * `closed` rejects (the vault is gone) it fails with that error, never hangs;
 * `onDrop` runs if it is garbage-collected unread.
 */
export function receiveBody(
  wire: BodyWire,
  signal?: AbortSignal,
  closed?: Promise<never>,
  onDrop?: () => void,
): ReadableStream<Uint8Array> {
  const source = 'stream' in wire ? streamSource(wire.stream) : portSource(wire.port)
  const underlying: UnderlyingDefaultSource<Uint8Array> = {
    start(controller) {
      signal?.addEventListener(
        'abort',
        () => {
          controller.error(signal.reason)
          void source.cancel(signal.reason)
        },
        { once: true },
      )
    },
    async pull(controller) {
      const chunk = await (closed ? Promise.race([source.read(), closed]) : source.read())
      if (signal?.aborted) return
      if (chunk) controller.enqueue(chunk)
      else controller.close()
    },
    cancel: reason => source.cancel(reason),
  }
  // The stream holds its underlying source while anyone can still read it: once that is collected, nobody can.
  if (onDrop) (dropped ??= new FinalizationRegistry(drop => drop())).register(underlying, onDrop)
  return new ReadableStream<Uint8Array>(underlying, { highWaterMark: 0 })
}

/** Bodies collected before they were read to the end: their requests are stopped in the vault. */
let dropped: FinalizationRegistry<() => void> | undefined
