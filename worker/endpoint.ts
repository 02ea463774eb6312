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

/**
 * Whether a URL is one of `endpoints` (as {@link endpointKey} sees them). Their keys are worked
 * out once, here: every `session.fetch` is checked against them.
 */
export function endpointMatcher(endpoints: readonly (string | undefined)[]): (url: string) => boolean {
  const keys = endpoints.filter((endpoint): endpoint is string => endpoint !== undefined).map(endpointKey)
  return url => keys.includes(endpointKey(url))
}
