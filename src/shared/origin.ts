import { SessionVaultError } from './errors.js'

/**
 * Normalises an allowlist entry to a serialized origin (`scheme://host[:port]`).
 * Only bare http(s) origins are accepted: no path, query, fragment or userinfo,
 * no wildcards, so comparison can be plain string equality.
 */
export function normalizeOrigin(value: unknown, field: string): string {
  const fail = () =>
    new SessionVaultError('ERR_BAD_OPTIONS', `${field} must be an exact origin such as 'https://api.example.com'`)
  if (typeof value !== 'string' || value.includes('*')) throw fail()
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw fail()
  }
  const bare = url.pathname === '/' && !value.includes('?') && !value.includes('#')
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !bare) throw fail()
  return url.origin
}

/** The origin of `url`, or `null` when it is not an absolute http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null
  } catch {
    return null
  }
}

/** Exact-origin allowlist check: the request URL's origin must equal one entry, character for character. */
export function isTrustedUrl(url: string, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(url)
  return origin !== null && trustedOrigins.includes(origin)
}
