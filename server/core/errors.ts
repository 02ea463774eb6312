import type { ErrorCode } from './names.js'

/** Every error this library throws: a stable `code`, a message that never carries a secret. */
export class SessionServerError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SessionServerError'
    this.code = code
  }
}

/** The store could not be reached or did not answer in time: requests fail closed with 503. */
export class StoreUnavailableError extends SessionServerError {
  constructor(message = 'Session store unavailable', options?: { cause?: unknown }) {
    super('ERR_STORE_UNAVAILABLE', message, options)
    this.name = 'StoreUnavailableError'
  }
}

/** An optional peer dependency (redis, express, fastify) is not installed. */
export class MissingPeerError extends SessionServerError {
  readonly packageName: string
  constructor(packageName: string, feature: string, options?: { cause?: unknown }) {
    super('ERR_MISSING_PEER', `${feature} needs the "${packageName}" package: npm install ${packageName}`, options)
    this.name = 'MissingPeerError'
    this.packageName = packageName
  }
}

/**
 * Import an optional peer dependency, or throw `MissingPeerError` naming it.
 * @internal
 */
export async function importPeer<T>(packageName: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const code = (error as { code?: string } | null)?.code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new MissingPeerError(packageName, feature, { cause: error })
    throw error
  }
}
