import { SessionVaultError } from '../../src/shared/errors.js'
import { form, send } from '../http.js'
import { parseTokenResponse, serverErrorCode, type TokenSet } from '../token-response.js'
import type { Discovery } from './discovery.js'
import { asksForNonce, createProof, type DpopKey, type DpopNonces } from './dpop.js'

/** A token endpoint answer: the parsed tokens, or the refusal (status and OAuth `error` code). */
type TokenResult = { ok: true; tokens: TokenSet } | { ok: false; status: number; code?: string }

/** The tokens a revocation may name. */
interface Revocable {
  refreshToken?: string
  accessToken?: string
}

/** An `ERR_OAUTH` for a refusal of the token endpoint (its code only, never its description). */
const oauthError = (what: string, result: { status: number; code?: string }) =>
  new SessionVaultError('ERR_OAUTH', `${what} refused by the authorization server (${result.code ?? result.status})`)

/**
 * The client of the token endpoint (RFC 6749: code exchange and refresh,
 * with DPoP proofs) and of the revocation endpoint (RFC 7009), as a public
 * client: `client_id` in every body, no secret.
 */
export class TokenEndpoint {
  readonly #clientId: string
  readonly #dpop: boolean
  readonly #discovery: Discovery
  readonly #key: () => Promise<DpopKey | undefined>
  readonly #nonces: DpopNonces

  /**
   * @param client with `dpop`, every token request carries a proof signed by `key`
   * @param nonces the `DPoP-Nonce` each server gave, shared with the resource requests
   */
  constructor(
    client: { clientId: string; dpop: boolean },
    discovery: Discovery,
    key: () => Promise<DpopKey | undefined>,
    nonces: DpopNonces,
  ) {
    this.#clientId = client.clientId
    this.#dpop = client.dpop
    this.#discovery = discovery
    this.#key = key
    this.#nonces = nonces
  }

  /** The authorization code grant (with the PKCE verifier); a refusal throws `ERR_OAUTH` with the server's code. */
  async exchangeCode(code: string, redirectUri: string, verifier: string): Promise<TokenSet> {
    const fields = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }
    const result = await this.#request(fields, 'Code exchange')
    if (!result.ok) throw oauthError('Code exchange', result)
    return result.tokens
  }

  /** The refresh token grant; a refusal (4xx) resolves undefined. */
  async refresh(refreshToken: string): Promise<TokenSet | undefined> {
    const result = await this.#request({ grant_type: 'refresh_token', refresh_token: refreshToken }, 'Refresh')
    return result.ok ? result.tokens : undefined
  }

  /**
   * POSTs `fields` to the token endpoint, with a DPoP proof when configured,
   * retrying once when the server asks for a DPoP nonce. Network trouble and
   * 5xx throw `ERR_NETWORK`; 200 is parsed (`ERR_TOKEN_RESPONSE` when
   * malformed); 4xx resolves as a refusal.
   */
  async #request(fields: Record<string, string>, what: string): Promise<TokenResult> {
    const { token } = await this.#discovery.endpoints()
    const body = form({ ...fields, client_id: this.#clientId })
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers({ Accept: 'application/json' })
      if (this.#dpop) {
        const key = await this.#key()
        if (!key) return { ok: false, status: 0, code: 'dpop_key_missing' }
        headers.set('DPoP', await createProof(key, { htm: 'POST', url: token, nonce: this.#nonces.get(token) }))
      }
      const response = await send(
        token,
        { method: 'POST', headers, body, credentials: 'omit', cache: 'no-store', redirect: 'error' },
        what,
      )
      const fresh = this.#dpop && this.#nonces.learn(token, response.headers)
      const text = await response.text()
      if (response.status === 200)
        return { ok: true, tokens: parseTokenResponse(text, this.#dpop ? ['dpop'] : ['bearer']) }
      const code = serverErrorCode(text)
      if (attempt === 0 && fresh && asksForNonce(response.status, response.headers, code)) continue
      if (response.status >= 500 || response.status < 400)
        throw new SessionVaultError('ERR_NETWORK', `${what} failed (${response.status})`)
      return { ok: false, status: response.status, code }
    }
  }

  /**
   * RFC 7009 at `endpoint`: the refresh token, then the access token (each
   * when given). Resolves whether the server confirmed every revocation
   * (true when there was none to make); never throws.
   */
  async revoke(endpoint: string, tokens: Revocable, signal: AbortSignal): Promise<boolean> {
    const confirmed: boolean[] = []
    if (tokens.refreshToken) confirmed.push(await this.#revoke(endpoint, tokens.refreshToken, 'refresh_token', signal))
    if (tokens.accessToken) confirmed.push(await this.#revoke(endpoint, tokens.accessToken, 'access_token', signal))
    return confirmed.every(Boolean)
  }

  /** Best effort: revokes tokens the vault will not keep (an ID token failed its checks). */
  async discard(tokens: TokenSet): Promise<void> {
    try {
      const { revocation } = await this.#discovery.endpoints()
      if (revocation) await this.revoke(revocation, tokens, AbortSignal.timeout(5_000))
    } catch {
      /* nothing more to do */
    }
  }

  async #revoke(
    endpoint: string,
    token: string,
    hint: 'refresh_token' | 'access_token',
    signal: AbortSignal,
  ): Promise<boolean> {
    try {
      // A CORS-simple request (form body, no custom header: RFC 7009 needs no DPoP proof), so `keepalive` works.
      const response = await fetch(endpoint, {
        method: 'POST',
        body: form({ token, token_type_hint: hint, client_id: this.#clientId }),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        keepalive: true,
        signal,
      })
      return response.status === 200
    } catch {
      return false
    }
  }
}
