import { SessionVaultError, sessionEnded } from '../../src/shared/errors.js'
import type { Grant } from '../authenticator.js'
import type { TokenSet } from '../token-response.js'
import { asksForNonce, createProof, type DpopKey, type DpopNonces } from './dpop.js'

/** The held access token a grant carries. */
interface Credential {
  accessToken: string
  tokenType: TokenSet['tokenType']
  generation: number
}

/** What a grant needs besides the token: the reserved-URL check, the DPoP key and the servers' nonces. */
interface GrantContext {
  isReserved(url: string): boolean
  key(): Promise<DpopKey | undefined>
  nonces: DpopNonces
}

/**
 * The credentials of a resource request: `Bearer`, or `DPoP` with a proof
 * bound to the request and the access token (`ath`) and carrying the
 * server's latest nonce (RFC 9449 section 7). Never sent to the
 * authorization server's own endpoints (`ERR_RESERVED_URL`).
 */
export function resourceGrant(credential: Credential, context: GrantContext): Grant {
  const { accessToken, tokenType, generation } = credential
  return {
    generation,
    apply: async (headers, request) => {
      if (context.isReserved(request.url)) {
        throw new SessionVaultError('ERR_RESERVED_URL', "session.fetch cannot call the vault's own auth endpoints")
      }
      if (tokenType === 'DPoP') {
        const key = await context.key()
        if (!key) throw sessionEnded('The DPoP key is gone')
        headers.set('Authorization', `DPoP ${accessToken}`)
        const nonce = context.nonces.get(request.url)
        headers.set('DPoP', await createProof(key, { htm: request.method, url: request.url, accessToken, nonce }))
      } else {
        headers.set('Authorization', `Bearer ${accessToken}`)
        headers.delete('DPoP')
      }
    },
  }
}

/**
 * Whether a 401 to `used` is a DPoP resource server asking for a nonce
 * (`WWW-Authenticate: DPoP error="use_dpop_nonce"` with a new `DPoP-Nonce`,
 * which is remembered): then the same token goes again, with a proof that
 * carries the nonce, instead of a refresh.
 */
export function asksForNewNonce(
  held: Credential,
  used: Grant,
  response: Response | undefined,
  nonces: DpopNonces,
): boolean {
  if (!response || held.tokenType !== 'DPoP' || !response.url) return false
  const fresh = nonces.learn(response.url, response.headers)
  return fresh && asksForNonce(response.status, response.headers) && held.generation === used.generation
}
