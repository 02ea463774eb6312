import { isSessionVaultError, SessionVaultError } from '../src/shared/errors.js'
import { trace } from './debug-log.js'

/** Sent on every call to the app's own auth endpoints (token and cookie mode): a cross-site form cannot send it. */
export const VAULT_HEADER = { 'Session-Vault': '1' } as const

const slug = (what: string) => `http.${what.toLowerCase().replace(/ /g, '-')}`

/** `fetch` that turns a network failure into `ERR_NETWORK` (with no URL or detail in the message). */
export async function send(url: string, init: RequestInit, what: string): Promise<Response> {
  const started = Date.now()
  try {
    const response = await fetch(url, init)
    trace(slug(what), { status: response.status, ms: Date.now() - started })
    return response
  } catch (error) {
    trace(slug(what), { unreachable: true, ms: Date.now() - started })
    if (init.signal?.aborted && (error as Error)?.name === 'AbortError') throw error
    throw new SessionVaultError('ERR_NETWORK', `${what}: the server could not be reached`, { cause: error })
  }
}

/**
 * Whether a failed auth call may work when tried again: `ERR_NETWORK` is what {@link send} throws when the
 * server could not be reached, and what the authenticators throw for a 5xx or another unexpected status.
 */
export const isTransient = (error: unknown): boolean => isSessionVaultError(error, 'ERR_NETWORK')

/**
 * The logout call of token and cookie mode: a POST (with {@link VAULT_HEADER})
 * that survives the page going away (`keepalive`), never hangs past
 * `timeoutMs`, never throws. Resolves whether the server answered 2xx.
 */
export async function postLogout(
  url: string,
  init: { headers?: Record<string, string>; body?: BodyInit },
  timeoutMs: number,
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      ...init,
      headers: { ...init.headers, ...VAULT_HEADER },
      credentials: 'include',
      keepalive: true,
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    })
    return response.ok
  } catch {
    return false
  }
}

/** A form-encoded POST body. */
export const form = (fields: Record<string, string | undefined>): URLSearchParams => {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value)
  return body
}

/** Credentials as the JSON body of a login or re-authentication; `ERR_BAD_OPTIONS` when they cannot be serialised. */
export function credentialsJson(credentials: unknown, what: string): string {
  try {
    return JSON.stringify(credentials ?? {})
  } catch (error) {
    throw new SessionVaultError('ERR_BAD_OPTIONS', `${what}: the credentials must be JSON-serialisable`, {
      cause: error,
    })
  }
}
