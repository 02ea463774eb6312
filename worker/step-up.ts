import { SessionVaultError } from '../src/shared/errors.js'

/** RFC 9470's error code: the resource needs a newer or stronger authentication than the token's. */
const STEP_UP_ERROR = 'insufficient_user_authentication'

// auth-param = token BWS "=" BWS ( token / quoted-string ) (RFC 9110 section 11.2)
const AUTH_PARAM = /([!#$%&'*+.^_`|~\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~\w-]+))/g

/** The auth-params of a `WWW-Authenticate` value, lower-cased names, every challenge's together. */
function authParams(header: string): Map<string, string> {
  const params = new Map<string, string>()
  for (const [, name, quoted, token] of header.matchAll(AUTH_PARAM)) {
    const key = name!.toLowerCase()
    if (!params.has(key)) params.set(key, quoted === undefined ? token! : quoted.replace(/\\(.)/g, '$1'))
  }
  return params
}

/**
 * `ERR_STEP_UP_REQUIRED` for a 401 or 403 carrying an RFC 9470 challenge
 * (`error="insufficient_user_authentication"`, with `acr_values` and/or
 * `max_age`), else null. Malformed `acr_values` or `max_age` are left out.
 */
export function stepUpRequired(response: Response): SessionVaultError | null {
  if (response.status !== 401 && response.status !== 403) return null
  const header = response.headers.get('WWW-Authenticate')
  if (!header) return null
  const params = authParams(header)
  if (params.get('error') !== STEP_UP_ERROR) return null
  const acr = params
    .get('acr_values')
    ?.split(' ')
    .filter(value => /^[\x21-\x7e]{1,256}$/.test(value))
    .slice(0, 16)
  const age = params.get('max_age')
  const maxAge = age !== undefined && /^\d{1,10}$/.test(age) ? Number(age) : undefined
  return new SessionVaultError('ERR_STEP_UP_REQUIRED', 'The server asks for a fresh authentication (step-up)', {
    ...(acr?.length ? { acrValues: acr } : {}),
    ...(maxAge !== undefined ? { maxAge } : {}),
  })
}
