import { type DebugEntry, debugEntry } from '../src/shared/debug.js'

let sink: ((entry: DebugEntry) => void) | undefined

/** Where the vault's entries go (to the page), once `debug` is on; nowhere otherwise. */
export function setDebugSink(to: ((entry: DebugEntry) => void) | undefined): void {
  sink = to
}

/** A lifecycle entry from the vault (see `debugEntry`: numbers, booleans and short names only). */
export function trace(event: string, data?: Record<string, unknown>): void {
  sink?.(debugEntry('vault', event, data))
}
