/**
 * The event-stream interpretation of the HTML standard
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * bytes in, events out. No I/O, no timers: `subscribe` feeds it one connection's chunks.
 */

/** One dispatched event, as `MessageEvent` would carry it. */
export interface ServerSentEvent {
  /** The `event:` field, or `'message'` when the event had none. */
  type: string
  /** The `data:` lines, joined with `\n`. */
  data: string
  /** The last `id:` seen on this stream (or before it, when resuming): what a reconnect sends as `Last-Event-ID`. */
  lastEventId: string
}

/**
 * Parses one connection's body. Chunks may split anywhere: inside a UTF-8
 * sequence, between CR and LF, inside a field. An event is dispatched at its
 * blank line; an event the stream ends in the middle of is dropped, as the
 * standard says.
 * @example
 * const parser = new EventStreamParser(event => console.log(event.data))
 * parser.feed(new TextEncoder().encode('data: hello\n\n'))
 */
export class EventStreamParser {
  /** The last event ID buffer: set by `id:` fields (not containing NUL), kept across events. */
  lastEventId: string
  /** The reconnection time the stream asked for (`retry:`, digits only), in ms; `undefined` until it does. */
  retry: number | undefined
  private readonly decoder = new TextDecoder()
  private readonly onEvent: (event: ServerSentEvent) => void
  private line = ''
  private afterCR = false
  private data = ''
  private type = ''

  /**
   * @param onEvent called once per dispatched event
   * @param lastEventId where the last event ID buffer starts (a resumed stream's)
   * @default lastEventId ''
   */
  constructor(onEvent: (event: ServerSentEvent) => void, lastEventId = '') {
    this.onEvent = onEvent
    this.lastEventId = lastEventId
  }

  /** The next chunk of the body (UTF-8; a leading BOM is dropped, invalid bytes become U+FFFD). */
  feed(chunk: Uint8Array): void {
    let text = this.decoder.decode(chunk, { stream: true })
    if (!text) return
    // A CR that ended the previous chunk already ended its line: the LF after it is part of that line end.
    if (this.afterCR && text[0] === '\n') text = text.slice(1)
    const lines = (this.line + text).split(/\r\n?|\n/)
    this.afterCR = text.endsWith('\r')
    this.line = lines.pop() ?? ''
    for (const line of lines) this.process(line)
  }

  private process(line: string): void {
    if (!line) return this.dispatch()
    const colon = line.indexOf(':')
    if (colon === 0) return
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value[0] === ' ') value = value.slice(1)
    if (field === 'data') this.data += `${value}\n`
    else if (field === 'event') this.type = value
    else if (field === 'id') {
      if (!value.includes('\0')) this.lastEventId = value
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value)
  }

  private dispatch(): void {
    const { data, type } = this
    this.data = this.type = ''
    if (data) this.onEvent({ type: type || 'message', data: data.slice(0, -1), lastEventId: this.lastEventId })
  }
}
