/**
 * What identifies an endpoint for the reserved-URL check: the origin and the
 * path, ignoring the query, letter case, `%`-escapes, doubled and trailing
 * slashes. Lenient routers treat those variants as the same route, so the
 * vault must too.
 */
export function endpointKey(url: string): string {
  const parsed = new URL(url)
  let path = parsed.pathname
  try {
    path = decodeURIComponent(path)
  } catch {
    /* keep the raw path */
  }
  return (
    parsed.origin +
    path
      .toLowerCase()
      .replace(/\/{2,}/g, '/')
      .replace(/\/$/, '')
  )
}

/** The keys of the configured endpoints, worked out once: every `session.fetch` is checked against them. */
const endpointKeys = new Map<string, string>()

/** Whether `url` is one of `endpoints` (as {@link endpointKey} sees them). */
export function isEndpoint(url: string, endpoints: readonly (string | undefined)[]): boolean {
  const key = endpointKey(url)
  return endpoints.some(endpoint => {
    if (endpoint === undefined) return false
    let known = endpointKeys.get(endpoint)
    if (known === undefined) endpointKeys.set(endpoint, (known = endpointKey(endpoint)))
    return known === key
  })
}
