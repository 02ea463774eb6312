import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose'

/**
 * A small resource server: every `/api/*` request must carry an access token
 * that the provider's introspection endpoint calls active. A DPoP-bound token
 * (introspection `cnf.jkt`) is accepted only as `Authorization: DPoP` with a
 * valid proof (RFC 9449 section 7): signature by the embedded public key,
 * `typ`, `htm`, `htu`, `iat` window, `ath`, unique `jti`, the key's
 * thumbprint equal to `cnf.jkt`, and a server nonce when required. A bare
 * DPoP token (no proof, or sent as Bearer) is rejected.
 */

const IAT_WINDOW_S = 60
/**
 * The sensitive action, `POST /api/sensitive` (any method is accepted, as on
 * every `/api/*` path): the access token's sign-in (`auth_time`, which the
 * provider's introspection carries: see `extraTokenClaims` in provider.mjs)
 * must be at most `settings.stepUpMaxAge` seconds old, else the RFC 9470
 * challenge (401, `insufficient_user_authentication`, `max_age`). A token
 * whose introspection has no `auth_time` is refused the same way.
 */
const SENSITIVE_PATH = '/api/sensitive'
const NONCE_LIFETIME_MS = 30_000

/**
 * @param {import('./index.d.mts').StartResourceServerOptions} opts
 */
export async function startResourceServer(opts) {
  const { host = '127.0.0.1', port = 0, appOrigin, introspectionEndpoint, clientId, clientSecret, settings } = opts
  /** @type {import('./index.d.mts').ResourceLogEntry[]} */
  const log = []
  /** Tokens answered 401 by test request (`expire()`), as if they had expired. */
  const expired = new Set()
  const seenTokens = new Set()
  const jtis = new Map()
  let origin = ''
  let nonces = { current: randomBytes(16).toString('base64url'), previous: '', at: Date.now() }
  const nonce = () => {
    if (Date.now() - nonces.at > NONCE_LIFETIME_MS) {
      nonces = { current: randomBytes(16).toString('base64url'), previous: nonces.current, at: Date.now() }
    }
    return nonces.current
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('Vary', 'Origin')
    if (req.headers.origin === appOrigin) {
      res.setHeader('Access-Control-Allow-Origin', appOrigin)
      res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce')
    }
    if (req.method === 'OPTIONS') {
      if (req.headers.origin === appOrigin) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE')
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, DPoP, Content-Type')
        res.setHeader('Access-Control-Max-Age', '0')
      }
      res.writeHead(204).end()
      return
    }
    /** @type {import('./index.d.mts').ResourceLogEntry} */
    const entry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      scheme: null,
      hasProof: !!req.headers.dpop,
      status: 0,
    }
    log.push(entry)
    /**
     * @param {number} status
     * @param {Record<string, unknown>} body
     * @param {Record<string, string>} [headers]
     */
    const send = (status, body, headers = {}) => {
      entry.status = status
      if (typeof body.error === 'string') entry.error = body.error
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body))
    }
    /**
     * @param {'Bearer' | 'DPoP'} scheme
     * @param {string} error
     * @param {Record<string, string>} [extra]
     */
    const deny = (scheme, error, extra = {}) =>
      send(
        401,
        { error },
        { 'WWW-Authenticate': `${scheme} error="${error}"${scheme === 'DPoP' ? ', algs="ES256"' : ''}`, ...extra },
      )

    if (!url.pathname.startsWith('/api/')) return send(404, { error: 'not_found' })
    try {
      const match = /^(Bearer|DPoP) ([\w.~+/-]+=*)$/i.exec(req.headers.authorization ?? '')
      if (!match) return send(401, { error: 'invalid_request' }, { 'WWW-Authenticate': 'Bearer, DPoP algs="ES256"' })
      const [, schemeName = '', token = ''] = match
      const scheme = schemeName.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer'
      entry.scheme = scheme
      if (expired.has(token)) return deny(scheme, 'invalid_token')
      seenTokens.add(token)

      const introspection = await introspect(token)
      if (!introspection.active || introspection.token_type === undefined) return deny(scheme, 'invalid_token')
      const jkt = introspection.cnf?.jkt
      if (jkt) {
        // DPoP-bound: Bearer use and a missing proof are both refused.
        if (scheme !== 'DPoP') return deny('DPoP', 'invalid_token')
        const proofs = req.headers.dpop
        if (typeof proofs !== 'string' || proofs.includes(',')) return deny('DPoP', 'invalid_dpop_proof')
        const checked = await checkProof(proofs, {
          method: req.method ?? 'GET',
          htu: `${origin}${url.pathname}`,
          token,
        })
        if (checked.error === 'use_dpop_nonce') return deny('DPoP', 'use_dpop_nonce', { 'DPoP-Nonce': nonce() })
        if (checked.error) return deny('DPoP', checked.error)
        if (checked.thumbprint !== jkt) return deny('DPoP', 'invalid_token')
      } else if (scheme !== 'Bearer') {
        return deny('DPoP', 'invalid_token')
      }
      if (url.pathname === SENSITIVE_PATH && !recentEnough(introspection.auth_time)) {
        const maxAge = settings.stepUpMaxAge
        return send(
          401,
          { error: 'insufficient_user_authentication', max_age: maxAge },
          {
            'WWW-Authenticate': `${scheme} error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="${maxAge}"`,
          },
        )
      }
      send(
        200,
        {
          sub: introspection.sub,
          client_id: introspection.client_id,
          scope: introspection.scope,
          token_type: introspection.token_type,
          bound: !!jkt,
          method: req.method,
          path: url.pathname,
        },
        settings.resourceServerNonce ? { 'DPoP-Nonce': nonce() } : {},
      )
    } catch (error) {
      process.stderr.write(`resource server: ${error instanceof Error ? error.stack : error}\n`)
      send(500, { error: 'server_error' })
    }
  })

  /** @param {unknown} authTime the introspection's `auth_time` (epoch seconds) */
  function recentEnough(authTime) {
    return typeof authTime === 'number' && Math.floor(Date.now() / 1000) - authTime <= settings.stepUpMaxAge
  }

  /**
   * @param {string} token
   * @returns {Promise<{ active?: boolean, token_type?: string, cnf?: { jkt?: string }, sub?: string, client_id?: string, scope?: string, auth_time?: number }>} the RFC 7662 answer
   */
  async function introspect(token) {
    const response = await fetch(introspectionEndpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    })
    if (!response.ok) throw new Error(`introspection answered ${response.status}`)
    return response.json()
  }

  /**
   * RFC 9449 section 4.3 checks; returns the key thumbprint or an error code.
   * @param {string} proof
   * @param {{ method: string, htu: string, token: string }} request
   * @returns {Promise<{ thumbprint?: string, error?: string }>}
   */
  async function checkProof(proof, { method, htu, token }) {
    let payload
    let protectedHeader
    try {
      ;({ payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] }))
    } catch {
      return { error: 'invalid_dpop_proof' }
    }
    if ('d' in (protectedHeader.jwk ?? {})) return { error: 'invalid_dpop_proof' }
    if (payload.htm !== method) return { error: 'invalid_dpop_proof' }
    let proofHtu
    try {
      proofHtu = new URL(String(payload.htu))
    } catch {
      return { error: 'invalid_dpop_proof' }
    }
    proofHtu.search = ''
    proofHtu.hash = ''
    if (proofHtu.href !== new URL(htu).href) return { error: 'invalid_dpop_proof' }
    const now = Math.floor(Date.now() / 1000)
    if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > IAT_WINDOW_S)
      return { error: 'invalid_dpop_proof' }
    if (typeof payload.jti !== 'string' || payload.jti.length < 16) return { error: 'invalid_dpop_proof' }
    if (payload.ath !== createHash('sha256').update(token).digest('base64url')) return { error: 'invalid_dpop_proof' }
    if (
      settings.resourceServerNonce &&
      payload.nonce !== nonces.current &&
      (payload.nonce !== nonces.previous || !nonces.previous)
    ) {
      return { error: 'use_dpop_nonce' }
    }
    for (const [jti, until] of jtis) if (until < now) jtis.delete(jti)
    if (jtis.has(payload.jti)) return { error: 'invalid_dpop_proof' }
    jtis.set(payload.jti, now + IAT_WINDOW_S * 2)
    if (!protectedHeader.jwk) return { error: 'invalid_dpop_proof' }
    return { thumbprint: await calculateJwkThumbprint(protectedHeader.jwk) }
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  origin = `http://${host}:${address.port}`
  return {
    url: origin,
    log,
    /** Every access token presented so far is answered 401 `invalid_token` from now on. */
    expireSeen() {
      for (const token of seenTokens) expired.add(token)
    },
    async close() {
      server.closeAllConnections?.()
      await new Promise(resolve => server.close(() => resolve(undefined)))
    },
  }
}
