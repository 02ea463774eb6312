import { HttpError, isObject, readJson, sendJson } from '../http/http-util.mjs'

/** The largest offset `/test/clock` accepts: a day, ms. */
const MAX_OFFSET_MS = 86_400_000

/** The contract's relative deadline fields, seconds from now: what an older server does not send. */
const RELATIVE_FIELDS = ['idleExpiresIn', 'absoluteExpiresIn']

/**
 * Test mode's switch for clock skew: the reference server's clock set
 * `offsetMs` off the real one, as if this machine's and the browser's clocks
 * disagreed. The offset reaches every epoch time the session servers report
 * (their `now`) and their `Date` header, and the `Date` header of every
 * other answer; with `relative: false` the session servers' answers also
 * leave out `idleExpiresIn` / `absoluteExpiresIn`, like a server that sends
 * only epoch deadlines (then only `Date` tells the client the server's time).
 * `/test/reset` sets it back (no offset, relative fields sent).
 */
export function createServerClock() {
  const state = { offsetMs: 0, relative: true }
  /** The server's time now, epoch ms. */
  const now = () => Date.now() + state.offsetMs

  /**
   * A session server's answer without the relative fields.
   * @param {Response} response
   */
  async function epochOnly(response) {
    if (!(response.headers.get('content-type') ?? '').includes('json')) return response
    const body = await response
      .clone()
      .json()
      .catch(() => null)
    if (!isObject(body) || !RELATIVE_FIELDS.some(field => field in body)) return response
    for (const field of RELATIVE_FIELDS) delete body[field]
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers })
  }

  return {
    now,

    /**
     * A session server whose answers lose their relative fields while `relative` is off.
     * @param {import('../reference/session-machinery.mjs').SessionServer} server
     * @returns {import('../reference/session-machinery.mjs').SessionServer}
     */
    server(server) {
      return {
        ...server,
        async handle(request, context) {
          const response = await server.handle(request, context)
          return response && !state.relative ? epochOnly(response) : response
        },
      }
    },

    /**
     * Middleware: while the clock is off, every answer's `Date` is the server's time (the session servers set
     * their own, from the same clock).
     * @type {import('../http/server.mjs').Middleware}
     */
    middleware({ res }) {
      if (state.offsetMs !== 0) res.setHeader('Date', new Date(now()).toUTCString())
      return false
    },

    reset() {
      state.offsetMs = 0
      state.relative = true
    },

    /**
     * `POST /test/clock { offsetMs, relative? }`: sets the server's clock `offsetMs` off the real one.
     * @param {import('../reference/app.mjs').RouteContext} ctx
     */
    async route({ req, res }) {
      const body = await readJson(req)
      if (!isObject(body)) throw new HttpError(400, 'invalid_request')
      const { offsetMs, relative = true } = body
      if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs) || Math.abs(offsetMs) > MAX_OFFSET_MS)
        throw new HttpError(400, 'invalid_request')
      if (typeof relative !== 'boolean') throw new HttpError(400, 'invalid_request')
      state.offsetMs = offsetMs
      state.relative = relative
      sendJson(res, 200, { ok: true, ...state })
    },
  }
}
