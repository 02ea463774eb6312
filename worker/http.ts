import { SessionVaultError } from '../src/errors.js'

/** `fetch` that turns a network failure into `ERR_NETWORK` (with no URL or detail in the message). */
export async function send(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (error) {
    if (init.signal?.aborted && (error as Error)?.name === 'AbortError') throw error
    throw new SessionVaultError('ERR_NETWORK', `${what}: the server could not be reached`)
  }
}

/** A form-encoded POST body. */
export const form = (fields: Record<string, string | undefined>): URLSearchParams => {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value)
  return body
}
