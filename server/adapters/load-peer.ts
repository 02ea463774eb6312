import { createRequire } from 'node:module'
import { MissingPeerError } from '../core/errors.js'

/** Load a CommonJS peer dependency synchronously, or throw `MissingPeerError` naming it. @internal */
export function requirePeer<T>(packageName: string, feature: string): T {
  const require = createRequire(import.meta.url)
  try {
    return require(packageName) as T
  } catch (error) {
    const code = (error as { code?: string } | null)?.code
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND')
      throw new MissingPeerError(packageName, feature, { cause: error })
    throw error
  }
}
