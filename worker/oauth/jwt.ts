import { fromBase64url } from '../../src/shared/encoding.js'
import { SessionVaultError } from '../../src/shared/errors.js'

/**
 * ID token handling: decoding and the claim checks of OpenID Connect Core
 * 1.0 section 3.1.3.7 (and 12.2 for refreshed ID tokens). The signature is
 * not verified: the vault receives the ID token straight from the token
 * endpoint over TLS, which section 3.1.3.7 item 6 accepts in its place.
 * Error messages name the failed check, never a claim value or the token.
 */

interface DecodedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
}

/** Tolerated clock difference between the vault and the authorization server. */
const CLOCK_SKEW_S = 300

const invalid = (what: string) => new SessionVaultError('ERR_TOKEN_RESPONSE', `ID token rejected: ${what}`)
const decoder = new TextDecoder('utf-8', { fatal: true })

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function part(text: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(decoder.decode(fromBase64url(text)))
  } catch {
    throw invalid(`${what} is not base64url JSON`)
  }
  if (!isRecord(value)) throw invalid(`${what} is not a JSON object`)
  return value
}

/** Splits and decodes a compact JWS (three parts). Refuses unsigned (`alg: none`) and encrypted tokens. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] === '' || parts[1] === '') throw invalid('not a compact JWS')
  const header = part(parts[0]!, 'header')
  const payload = part(parts[1]!, 'payload')
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none' || parts[2] === '')
    throw invalid('unsigned')
  return { header, payload }
}

export interface IdTokenExpectations {
  issuer: string
  clientId: string
  /** The nonce sent in the authorization request; undefined for a refreshed ID token (which need not carry one). */
  nonce?: string
  /** A refreshed ID token must be about the same user (section 12.2). */
  sub?: string
  /** Epoch seconds. */
  now: number
  skew?: number
}

/**
 * Checks an ID token's claims; returns the payload.
 * - `iss` equals the issuer exactly; `sub` is a non-empty string (and equals the previous one on refresh);
 * - `aud` (string or array) contains the client id; with several audiences `azp` is required; `azp`, when present, is the client id;
 * - `exp` is in the future and `iat` is a number not in the future (both within `skew` seconds);
 * - `nonce` equals the one sent (login); on refresh, nothing is required of it.
 */
export function checkIdToken(token: string, expect: IdTokenExpectations): Record<string, unknown> {
  const { payload } = decodeJwt(token)
  const skew = expect.skew ?? CLOCK_SKEW_S
  if (payload.iss !== expect.issuer) throw invalid('iss does not match the issuer')
  if (typeof payload.sub !== 'string' || payload.sub === '') throw invalid('sub missing')
  if (expect.sub !== undefined && payload.sub !== expect.sub) throw invalid('sub changed')
  const aud = payload.aud
  const audiences =
    typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every(a => typeof a === 'string') ? aud : null
  if (!audiences?.includes(expect.clientId)) throw invalid('aud does not contain the client id')
  if (audiences.length > 1 && payload.azp === undefined) throw invalid('azp missing with several audiences')
  if (payload.azp !== undefined && payload.azp !== expect.clientId) throw invalid('azp is not the client id')
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw invalid('exp missing')
  if (payload.exp <= expect.now - skew) throw invalid('expired')
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw invalid('iat missing')
  if (payload.iat > expect.now + skew) throw invalid('iat in the future')
  if (payload.iat > payload.exp) throw invalid('iat after exp')
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) throw invalid('nonce does not match')
  return payload
}

/**
 * Claims the page never gets: replay and binding material (`nonce`, `jti`,
 * `cnf`, the `*_hash` claims), the provider's session id (`sid`, a handle on
 * the provider session used by front- and back-channel logout), and
 * aggregated/distributed claim plumbing.
 */
const PRIVATE_CLAIMS: ReadonlySet<string> = new Set([
  'nonce',
  'at_hash',
  'c_hash',
  's_hash',
  'sid',
  'jti',
  'cnf',
  '_claim_names',
  '_claim_sources',
])

/** The non-secret claims of a validated ID token payload, as plain JSON data (copied). */
export function publicClaims(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(payload)) {
    if (PRIVATE_CLAIMS.has(name) || name.endsWith('_hash')) continue
    out[name] = JSON.parse(JSON.stringify(value ?? null)) as unknown
  }
  return out
}

/** Who an ID token is about: the `sub` later ID tokens must repeat, and the claims the page may see. */
export interface Identity {
  sub?: string
  claims?: Record<string, unknown>
}

/** {@link checkIdToken}, then the identity of the checked token (its {@link publicClaims} only). */
export function identityOf(token: string, expect: IdTokenExpectations): Required<Identity> {
  const payload = checkIdToken(token, expect)
  return { sub: payload.sub as string, claims: publicClaims(payload) }
}
