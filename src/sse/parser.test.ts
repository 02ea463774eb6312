import { describe, expect, it } from 'vitest'
import { createEventStreamParser, type ServerSentEvent } from './parser.js'

const bytes = (text: string) => new TextEncoder().encode(text)

/** Every event `chunks` produce, and the parser (for lastEventId and retry). */
function parse(chunks: (string | Uint8Array)[], lastEventId?: string) {
  const events: ServerSentEvent[] = []
  const parser = createEventStreamParser(event => events.push(event), lastEventId)
  for (const chunk of chunks) parser.feed(typeof chunk === 'string' ? bytes(chunk) : chunk)
  return { events, parser }
}
const events = (text: string) => parse([text]).events
const message = (data: string, lastEventId = '', type = 'message') => ({ type, data, lastEventId })

describe('createEventStreamParser (WHATWG event-stream interpretation)', () => {
  it('dispatches at a blank line, joining data lines with \\n', () => {
    expect(events('data: one\ndata: two\n\ndata: three\n\n')).toEqual([message('one\ntwo'), message('three')])
  })

  it('takes LF, CR and CRLF line ends alike, mixed in one stream', () => {
    expect(events('data: a\r\rdata: b\r\n\r\ndata: c\n\ndata: d\r\ndata: e\n\r')).toEqual(
      ['a', 'b', 'c', 'd\ne'].map(data => message(data)),
    )
  })

  it('a CR at the end of a chunk and an LF at the start of the next make one line end', () => {
    const { events: got } = parse(['data: a\r', '\ndata: b\r', '\n\r', '\n'])
    expect(got).toEqual([message('a\nb')])
    // Two CRs then an LF: two line ends, so the first blank line dispatches and the LF is one more line end.
    expect(parse(['data: x\r', '\r', '\n']).events).toEqual([message('x')])
  })

  it('strips one leading space after the colon, no more', () => {
    expect(events('data:no space\n\ndata:  two spaces\n\ndata: \n\n')).toEqual([
      message('no space'),
      message(' two spaces'),
      message(''),
    ])
  })

  it('a field without a colon is a field with an empty value', () => {
    expect(events('data\ndata\n\n')).toEqual([message('\n')])
    expect(events('data\n\n')).toEqual([message('')])
    expect(events('event\ndata: x\n\n')).toEqual([message('x')])
  })

  it('never dispatches an event with an empty data buffer, but its id still counts', () => {
    const { events: got, parser } = parse(['event: ping\n\n', 'id: 7\n\n', ': just a comment\n\n', 'data: x\n\n'])
    expect(got).toEqual([message('x', '7')])
    expect(parser.lastEventId).toBe('7')
  })

  it('event: sets the type of that event only', () => {
    expect(events('event: tick\ndata: 1\n\ndata: 2\n\n')).toEqual([message('1', '', 'tick'), message('2')])
  })

  it('id: persists across events as lastEventId, an empty id resets it, an id with NUL is ignored', () => {
    const got = events('id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid\ndata: d\n\nid: 3\ndata: e\n\n')
    expect(got.map(event => event.lastEventId)).toEqual(['1', '1', '1', '', '3'])
  })

  it('an id: of an event cut off by the end of the stream is not the last event ID (nothing is skipped on resume)', () => {
    const { events: got, parser } = parse(['id: 1\ndata: a\n\nid: 2\ndata: b'])
    expect(got).toEqual([message('a', '1')])
    expect(parser.lastEventId).toBe('1')
  })

  it('a long line fed in many small chunks comes out whole', () => {
    const long = 'x'.repeat(100_000)
    const chunks = ['data: ', ...long.match(/.{1,7}/g)!, '\n\n']
    expect(parse(chunks).events).toEqual([message(long)])
  })

  it('starts from the lastEventId it was given (a resumed stream)', () => {
    const { events: got, parser } = parse(['data: a\n\n'], '41')
    expect(got).toEqual([message('a', '41')])
    expect(parser.lastEventId).toBe('41')
  })

  it('retry: takes ASCII digits only', () => {
    expect(parse(['retry: 1500\n']).parser.retry).toBe(1500)
    expect(parse(['retry: 1500\nretry: 15x\nretry: -1\nretry: 1.5\nretry:\nretry: ١٢\n']).parser.retry).toBe(1500)
    expect(parse(['retry: 0\n']).parser.retry).toBe(0)
    expect(parse(['data: x\n\n']).parser.retry).toBeUndefined()
  })

  it('ignores comments and unknown fields', () => {
    expect(events(':comment\n: another\nfoo: bar\nDATA: upper\ndata: x\n\n')).toEqual([message('x')])
  })

  it('keeps colons after the first in the value, and U+2028, U+2029, NUL', () => {
    expect(events('data: a:b: c\n\n')).toEqual([message('a:b: c')])
    expect(events('data: \u2028x\u2029\0\n\n')).toEqual([message('\u2028x\u2029\0')])
  })

  it('drops a leading BOM once, and only at the start', () => {
    expect(events('\uFEFFdata: a\n\n')).toEqual([message('a')])
    expect(events('\uFEFF\uFEFFdata: a\n\n')).toEqual([])
    expect(parse([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf]), 'data: b\n\n']).events).toEqual([message('b')])
  })

  it('decodes UTF-8 split across chunks; invalid bytes become U+FFFD', () => {
    const encoded = bytes('data: é✓😀\n\n')
    const chunks = Array.from(encoded, byte => new Uint8Array([byte]))
    expect(parse(chunks).events).toEqual([message('é✓😀')])
    expect(parse([new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a])]).events).toEqual([
      message('\uFFFD'),
    ])
  })

  it('drops an event the stream ends in the middle of', () => {
    expect(events('data: complete\n\ndata: incomplete\n')).toEqual([message('complete')])
    expect(events('data: no line end')).toEqual([])
  })

  it('gives the same events for every way of splitting a sample stream in two or three', () => {
    const sample = bytes(
      '\uFEFF: hello\r\nretry: 2500\nid: 1\nevent: tick\ndata: é✓\r\rdata: line one\r\ndata:line two\n\n' +
        'id: bad\0\ndata\n\nid\rdata:  x\r\n\r\n:end\n',
    )
    const expected = parse([sample])
    expect(expected.events).toEqual([
      message('é✓', '1', 'tick'),
      message('line one\nline two', '1'),
      message('', '1'),
      message(' x', ''),
    ])
    expect(expected.parser.retry).toBe(2500)
    for (let i = 0; i <= sample.length; i++) {
      const two = parse([sample.subarray(0, i), sample.subarray(i)])
      expect(two.events, `split at ${i}`).toEqual(expected.events)
      expect(two.parser.retry).toBe(2500)
      for (let j = i; j <= sample.length; j += 3) {
        const three = parse([sample.subarray(0, i), sample.subarray(i, j), sample.subarray(j)])
        expect(three.events, `split at ${i} and ${j}`).toEqual(expected.events)
      }
    }
    expect(parse(Array.from(sample, byte => new Uint8Array([byte]))).events).toEqual(expected.events)
  })
})
