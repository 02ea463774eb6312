import { HttpError } from './http-util.mjs'

/**
 * What every route handler gets: the request, the answer, the parsed URL and the path parameters.
 * @typedef {{
 *   req: import('node:http').IncomingMessage,
 *   res: import('node:http').ServerResponse,
 *   url: URL,
 *   params: Record<string, string>,
 * }} RouteRequest
 */

/**
 * @template {RouteRequest} C the context handlers get
 * @typedef {{
 *   add(methods: string | string[], pattern: string, handler: (ctx: C) => unknown): void,
 *   match(method: string, path: string): { handler: (ctx: C) => unknown, params: Record<string, string> },
 * }} Router
 */

/**
 * A tiny method + path router. Patterns are literal segments, `:name` (one
 * segment, percent-decoded) and a final `*` (the rest, left encoded, in `params.rest`).
 * HEAD is served by GET routes.
 * @template {RouteRequest} C
 * @returns {Router<C>}
 */
export function createRouter() {
  /** @type {{ methods: string[], parts: string[], handler: (ctx: C) => unknown }[]} */
  const routes = []

  /** @param {string} pattern */
  function compile(pattern) {
    return pattern.split('/').slice(1)
  }

  /**
   * @param {string[]} parts
   * @param {string} path
   */
  function matchPath(parts, path) {
    const segs = path.split('/').slice(1)
    /** @type {Record<string, string>} */
    const params = {}
    for (const [i, part] of parts.entries()) {
      if (part === '*') {
        params.rest = segs.slice(i).join('/')
        return params
      }
      const seg = segs[i]
      if (seg === undefined) return null
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(seg)
        } catch {
          return null
        }
        if (!params[part.slice(1)]) return null
      } else if (part !== seg) {
        return null
      }
    }
    return segs.length === parts.length ? params : null
  }

  return {
    /**
     * Add a route.
     * @param {string | string[]} methods
     * @param {string} pattern e.g. '/api/sessions/:handle'
     * @param {(ctx: C) => unknown} handler
     */
    add(methods, pattern, handler) {
      routes.push({ methods: [methods].flat(), parts: compile(pattern), handler })
    },

    /**
     * Find the handler of a request; throws 404 or 405 (with Allow).
     * @param {string} method
     * @param {string} path
     */
    match(method, path) {
      const allowed = new Set()
      for (const route of routes) {
        const params = matchPath(route.parts, path)
        if (!params) continue
        if (route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'))) {
          return { handler: route.handler, params }
        }
        for (const m of route.methods) allowed.add(m)
      }
      if (allowed.size === 0) throw new HttpError(404, 'not_found')
      if (allowed.has('GET')) allowed.add('HEAD')
      throw new HttpError(405, 'method_not_allowed', { Allow: [...allowed].join(', ') })
    },
  }
}
