/**
 * `session-vault/sse`: Server-Sent Events through the vault. `subscribe`
 * reads an authenticated event stream with `session.fetch` and reconnects
 * (with `Last-Event-ID`, and whatever token the vault holds by then) until it
 * is stopped; `createEventStreamParser` is the standard's event-stream
 * interpretation on its own, for streams read some other way.
 */
export type { EventStreamParser, ServerSentEvent } from './parser.js'
export { createEventStreamParser } from './parser.js'
export type { EventSession, SubscribeOptions } from './subscribe.js'
export { subscribe } from './subscribe.js'
