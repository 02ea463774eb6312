import { base64url, randomToken, sha256 } from '../../src/shared/encoding.js'

/**
 * DPoP (RFC 9449): the vault's proof-of-possession key and the proofs it
 * signs. The private key is made non-extractable by WebCrypto itself: no
 * script, the vault's included, can read its bytes; it can only sign.
 */

/** The public half, as it goes into every proof's header. */
interface EcPublicJwk {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
}

/** What is kept in IndexedDB (CryptoKey objects are structured-clonable; non-extractable stays non-extractable). */
export interface StoredDpopKey {
  privateKey: CryptoKey
  publicJwk: EcPublicJwk
}

export interface DpopKey extends StoredDpopKey {
  /** RFC 7638 SHA-256 thumbprint of the public key: `dpop_jkt`, `cnf.jkt`. */
  thumbprint: string
}

const encoder = new TextEncoder()
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** A fresh ECDSA P-256 key pair whose private key cannot be exported. */
export async function generateDpopKey(): Promise<DpopKey> {
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify'])
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new Error('unexpected public key')
  const publicJwk: EcPublicJwk = { kty, crv, x, y }
  return { privateKey: pair.privateKey, publicJwk, thumbprint: await jwkThumbprint(publicJwk) }
}

/**
 * Accepts a key read back from storage only when it is what the vault makes:
 * a private, non-extractable ECDSA P-256 signing key with a well-formed public JWK.
 * Anything else (a key planted by a script, an extractable one) is refused.
 */
export async function usableKey(value: unknown): Promise<DpopKey | undefined> {
  if (typeof value !== 'object' || value === null) return undefined
  const { privateKey, publicJwk } = value as Partial<StoredDpopKey>
  if (typeof CryptoKey === 'undefined' || !(privateKey instanceof CryptoKey)) return undefined
  const algorithm = privateKey.algorithm as KeyAlgorithm & { namedCurve?: string }
  if (
    privateKey.type !== 'private' ||
    privateKey.extractable ||
    algorithm.name !== 'ECDSA' ||
    algorithm.namedCurve !== 'P-256' ||
    !privateKey.usages.includes('sign')
  ) {
    return undefined
  }
  if (publicJwk?.kty !== 'EC' || publicJwk.crv !== 'P-256') return undefined
  if (typeof publicJwk.x !== 'string' || typeof publicJwk.y !== 'string') return undefined
  const jwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y }
  return { privateKey, publicJwk: jwk, thumbprint: await jwkThumbprint(jwk) }
}

/** RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: EcPublicJwk): Promise<string> {
  return sha256(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
}

/** `htu`: the request URL without query and fragment (RFC 9449 section 4.2). */
export function htuOf(url: string): string {
  const parsed = new URL(url)
  parsed.search = ''
  parsed.hash = ''
  return parsed.href
}

interface ProofRequest {
  /** HTTP method of the request. */
  htm: string
  /** Full request URL; query and fragment are removed. */
  url: string
  /** The server's latest `DPoP-Nonce` for this origin, when it gave one. */
  nonce?: string
  /** The access token the request carries (resource requests): adds `ath`. */
  accessToken?: string
  /** Epoch ms. */
  now?: number
}

/** A DPoP proof JWT: `typ: dpop+jwt`, `alg: ES256`, the public `jwk`; `jti`, `htm`, `htu`, `iat`, plus `ath` and `nonce` when given. */
export async function createProof(key: DpopKey, request: ProofRequest): Promise<string> {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk }
  const payload: Record<string, string | number> = {
    jti: randomToken(16),
    htm: request.htm,
    htu: htuOf(request.url),
    iat: Math.floor((request.now ?? Date.now()) / 1000),
  }
  if (request.accessToken !== undefined) payload.ath = await sha256(request.accessToken)
  if (request.nonce !== undefined) payload.nonce = request.nonce
  const input = `${encodeJson(header)}.${encodeJson(payload)}`
  // WebCrypto's ECDSA signature is already the JWS form: r || s, 32 bytes each.
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, encoder.encode(input))
  return `${input}.${base64url(new Uint8Array(signature))}`
}

function encodeJson(value: unknown): string {
  return base64url(encoder.encode(JSON.stringify(value)))
}

/** The latest `DPoP-Nonce` each server gave, by origin. Memory only. */
export class DpopNonces {
  readonly #byOrigin = new Map<string, string>()

  get(url: string): string | undefined {
    return this.#byOrigin.get(new URL(url).origin)
  }

  /** Remembers the `DPoP-Nonce` header of a response, if any; returns whether it was new. */
  learn(url: string, headers: Headers): boolean {
    const nonce = headers.get('DPoP-Nonce')
    // RFC 9449 section 8.1: nonce = 1*NQCHAR; keep it short and printable.
    if (!nonce || !/^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/.test(nonce)) return false
    const origin = new URL(url).origin
    if (this.#byOrigin.get(origin) === nonce) return false
    this.#byOrigin.set(origin, nonce)
    return true
  }

  clear(): void {
    this.#byOrigin.clear()
  }
}

/** Whether a response asks for a (new) DPoP nonce: AS 400 `{error:"use_dpop_nonce"}` or RS 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"`. */
export function asksForNonce(status: number, headers: Headers, bodyError?: string): boolean {
  if (status === 400 && bodyError === 'use_dpop_nonce') return true
  if (status !== 401) return false
  const challenge = headers.get('WWW-Authenticate') ?? ''
  return /(^|[\s,])DPoP\b[\s\S]*?error\s*=\s*"?use_dpop_nonce"?/i.test(challenge)
}
