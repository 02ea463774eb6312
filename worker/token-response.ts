import { SessionVaultError } from '../src/shared/errors.js'

/** A parsed RFC 6749 section 5.1 token response. Lives only inside the vault. */
export interface TokenSet {
  accessToken: string
  tokenType: 'Bearer' | 'DPoP'
  /** Seconds, when the server said. */
  expiresIn?: number
  refreshToken?: string
  idToken?: string
  scope?: string
  /** The server's (non-secret) id of the session the tokens belong to, when it says (`session_id`). */
  sessionId?: string
}

const invalid = (what: string) => new SessionVaultError('ERR_TOKEN_RESPONSE', `Malformed token response: ${what}`)

const optionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} must be a non-empty string`)
  return value
}

/**
 * Validates a token endpoint's JSON text. Error messages name the field, never its value.
 * @param accepted token types the client asked for, lower case
 */
export function parseTokenResponse(text: string, accepted: readonly ('bearer' | 'dpop')[] = ['bearer']): TokenSet {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw invalid('not JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('not a JSON object')
  const record = body as Record<string, unknown>
  const accessToken = record.access_token
  if (typeof accessToken !== 'string' || accessToken.trim() === '') throw invalid('access_token missing or blank')
  // It goes into an Authorization header: RFC 6750 b64token characters only.
  if (!/^[\w.~+/-]+=*$/.test(accessToken)) throw invalid('access_token has characters a header cannot carry')
  const type = typeof record.token_type === 'string' ? record.token_type.toLowerCase() : ''
  if (!(accepted as readonly string[]).includes(type)) throw invalid('unexpected token_type')
  let expiresIn: number | undefined
  if (record.expires_in !== undefined && record.expires_in !== null) {
    const raw = record.expires_in
    expiresIn = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isFinite(expiresIn) || expiresIn < 0) throw invalid('expires_in must be a number of seconds')
  }
  return {
    accessToken,
    tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
    expiresIn,
    refreshToken: optionalString(record.refresh_token, 'refresh_token'),
    idToken: optionalString(record.id_token, 'id_token'),
    scope: typeof record.scope === 'string' ? record.scope : undefined,
    sessionId: optionalString(record.session_id, 'session_id'),
  }
}

/** A short, safe rendering of an OAuth-style `error` code from a server body, if there is one. */
export function serverErrorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: unknown }).error
    return typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : undefined
  } catch {
    return undefined
  }
}
