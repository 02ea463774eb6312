/** Set-Cookie lines of the secrets the server issues: the refresh token and the /classic/ session cookie. */
const ISSUED_COOKIES = /^(__Host-sv_rt|__Host-sv_s)=([^;]+)/

/**
 * The plaintext of the secrets the server's answers carried (token answers'
 * `access_token`, the refresh and session cookies), for /test/tokens, read off
 * the answers on their way out. Test mode only: outside it no plaintext token
 * is ever kept.
 */
export function createTokenRecorder() {
  /** @type {{ accessToken: string | null, refreshToken: string | null, all: string[] }} */
  let issued = { accessToken: null, refreshToken: null, all: [] }
  return {
    /** @param {Response} response */
    async record(response) {
      for (const line of response.headers.getSetCookie()) {
        const [, name, value] = ISSUED_COOKIES.exec(line) ?? []
        if (!value) continue
        if (name === '__Host-sv_rt') issued.refreshToken = value
        issued.all.push(value)
      }
      if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('json') || !response.body)
        return
      const body = await response
        .clone()
        .json()
        .catch(() => null)
      if (typeof body?.access_token === 'string') {
        issued.accessToken = body.access_token
        issued.all.push(body.access_token)
      }
    },
    tokens: () => ({ accessToken: issued.accessToken, refreshToken: issued.refreshToken, all: issued.all.slice() }),
    clear() {
      issued = { accessToken: null, refreshToken: null, all: [] }
    },
  }
}

/**
 * A session server whose answers (`handle`) and renewals (`renewSession`, as
 * a Response of its headers) are shown to `observe` before they are returned.
 * @param {import('../reference/session-machinery.mjs').SessionServer} server
 * @param {(response: Response, request: Request) => Promise<void>} observe
 * @returns {import('../reference/session-machinery.mjs').SessionServer}
 */
export function observedServer(server, observe) {
  return {
    ...server,
    async handle(request, context) {
      const response = await server.handle(request, context)
      if (response) await observe(response, request)
      return response
    },
    async renewSession(request, options) {
      const renewed = await server.renewSession(request, options)
      if (!(renewed instanceof Response)) await observe(new Response(null, { headers: renewed.headers }), request)
      return renewed
    },
  }
}
