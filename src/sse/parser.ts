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

/** One connection's parser, from {@link createEventStreamParser}. */
export interface EventStreamParser {
  /** The next chunk of the body (UTF-8; a leading BOM is dropped, invalid bytes become U+FFFD). */
  feed(chunk: Uint8Array): void
  /**
   * The last event ID string: the `id:` (not containing NUL) in force when the latest event was
   * dispatched, kept across events. An `id:` of an event the stream ended in the middle of does
   * not count, so a reconnect resumes after the last event delivered.
   */
  lastEventId: string
  /** The reconnection time the stream asked for (`retry:`, digits only), in ms; unset until it does. */
  retry?: number
}

/**
 * A parser of one connection's body. Chunks may split anywhere: inside a
 * UTF-8 sequence, between CR and LF, inside a field. An event is dispatched
 * at its blank line; one the stream ends in the middle of never is, as the
 * standard says.
 * @param onEvent called once per dispatched event
 * @param lastEventId where the last event ID buffer starts (a resumed stream's); default `''`
 * @example
 * const parser = createEventStreamParser(event => console.log(event.data))
 * parser.feed(new TextEncoder().encode('data: hello\n\n'))
 */
export function createEventStreamParser(
  onEvent: (event: ServerSentEvent) => void,
  lastEventId = '',
): EventStreamParser {
  const decoder = new TextDecoder()
  let rest = ''
  let afterCR = false
  let data = ''
  let type = ''
  let idBuffer = lastEventId
  const parser: EventStreamParser = {
    lastEventId,
    feed(chunk) {
      let text = decoder.decode(chunk, { stream: true })
      if (!text) return
      // A CR that ended the previous chunk already ended its line: the LF after it belongs to that line end.
      if (afterCR && text[0] === '\n') text = text.slice(1)
      // `rest` holds no line end: splitting the new text alone keeps long lines linear.
      const lines = text.split(/\r\n?|\n/)
      lines[0] = rest + lines[0]
      afterCR = text.endsWith('\r')
      rest = lines.pop()!
      for (const line of lines) {
        if (!line) {
          // Dispatch: the ID buffer becomes the last event ID; a data buffer that is still empty dispatches nothing.
          parser.lastEventId = idBuffer
          if (data) onEvent({ type: type || 'message', data: data.slice(0, -1), lastEventId: parser.lastEventId })
          data = type = ''
          continue
        }
        // The field name up to the first colon, the value after it less one space; a comment's name is ''.
        const [, field, value = ''] = /^([^:]*)(?:: ?(.*))?$/s.exec(line) ?? []
        if (field === 'data') data += `${value}\n`
        else if (field === 'event') type = value
        else if (field === 'id') {
          if (!value.includes('\0')) idBuffer = value
        } else if (field === 'retry' && /^\d+$/.test(value)) parser.retry = +value
      }
    },
  }
  return parser
}
