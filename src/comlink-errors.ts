import { transferHandlers, type TransferHandler } from 'comlink'
import { fromWireError, toWireError, type WireError } from './protocol.js'

/**
 * Replaces comlink's handler for thrown values on this side of the boundary,
 * so errors keep their `code` and lose their stack (no internals leak out).
 */
export function installErrorTransfer(): void {
  const original = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, WireError>
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize: ({ value }) => [toWireError(value), []],
    deserialize: (wire) => {
      throw fromWireError(wire)
    },
  } satisfies TransferHandler<{ value: unknown }, WireError>)
}
