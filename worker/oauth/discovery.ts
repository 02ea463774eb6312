import { SessionVaultError } from '../../src/shared/errors.js'
import type { AuthConfig } from '../../src/shared/protocol.js'
import { endpointKey } from '../endpoint.js'
import { send } from '../http.js'

/** The configuration discovery reads: the issuer and the endpoints set explicitly. */
type EndpointConfig = Pick<
  Extract<AuthConfig, { type: 'oauth' }>,
  'issuer' | 'authorizationEndpoint' | 'tokenEndpoint' | 'revocationEndpoint' | 'endSessionEndpoint'
>

/** Endpoint metadata fields whose answers carry or mint secrets: `session.fetch` never reaches them. */
const RESERVED_METADATA = [
  'token_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
  'backchannel_authentication_endpoint',
  'registration_endpoint',
  'authorization_endpoint',
  'end_session_endpoint',
] as const

/** The authorization server's endpoints, as configured or discovered. */
interface Endpoints {
  authorization: string
  token: string
  revocation?: string
  endSession?: string
  /** RFC 9207: the server promises `iss` in every authorization response. */
  issParameterSupported: boolean
  /** Every authorization-server endpoint known (reserved for `session.fetch`). */
  all: string[]
}

/**
 * The authorization server's endpoints: the configured ones, completed by
 * OpenID Connect Discovery 1.0 when an issuer is set (fetched once; a
 * failure is retried on the next call), and the reserved-URL check over
 * every endpoint known so far.
 */
export class Discovery {
  #discovery: Promise<Endpoints> | undefined
  #known: string[]
  readonly #config: EndpointConfig

  constructor(config: EndpointConfig) {
    this.#config = config
    this.#known = [
      config.authorizationEndpoint,
      config.tokenEndpoint,
      config.revocationEndpoint,
      config.endSessionEndpoint,
    ]
      .filter((u): u is string => u !== undefined)
      .map(endpointKey)
  }

  /** The endpoints; with `signal`, the wait ends (rejects with its reason) when it aborts. */
  endpoints(signal?: AbortSignal): Promise<Endpoints> {
    this.#discovery ??= discover(this.#config).then(
      endpoints => {
        this.#known = endpoints.all
        return endpoints
      },
      (error: unknown) => {
        this.#discovery = undefined
        throw error
      },
    )
    return signal ? Promise.race([this.#discovery, aborted(signal)]) : this.#discovery
  }

  /** Whether `url` is one of the authorization server's endpoints (the configured ones until discovery answered). */
  isReserved(url: string): boolean {
    try {
      return this.#known.includes(endpointKey(url))
    } catch {
      return false
    }
  }
}

async function discover(c: EndpointConfig): Promise<Endpoints> {
  const required = !c.authorizationEndpoint || !c.tokenEndpoint
  let meta: Record<string, unknown> = {}
  if (c.issuer !== undefined) {
    try {
      meta = await fetchMetadata(c.issuer)
    } catch (error) {
      if (required) throw error
    }
  }
  const authorization = c.authorizationEndpoint ?? endpointOf(meta.authorization_endpoint)
  const token = c.tokenEndpoint ?? endpointOf(meta.token_endpoint)
  if (!authorization || !token) {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: authorization_endpoint or token_endpoint missing')
  }
  const methods = meta.code_challenge_methods_supported
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the server does not support PKCE S256')
  }
  const all = new Set(
    [authorization, token, c.revocationEndpoint, c.endSessionEndpoint].filter((u): u is string => !!u).map(endpointKey),
  )
  for (const field of RESERVED_METADATA) {
    const url = endpointOf(meta[field])
    if (url) all.add(endpointKey(url))
  }
  return {
    authorization,
    token,
    revocation: c.revocationEndpoint ?? endpointOf(meta.revocation_endpoint),
    endSession: c.endSessionEndpoint ?? endpointOf(meta.end_session_endpoint),
    issParameterSupported: meta.authorization_response_iss_parameter_supported === true,
    all: [...all],
  }
}

/** OpenID Connect Discovery 1.0: the metadata, whose `issuer` must equal the configured one exactly. */
async function fetchMetadata(issuer: string): Promise<Record<string, unknown>> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const response = await send(
    url,
    { credentials: 'omit', redirect: 'error', headers: { Accept: 'application/json' } },
    'Discovery',
  )
  if (response.status >= 500) throw new SessionVaultError('ERR_NETWORK', `Discovery failed (${response.status})`)
  if (response.status !== 200) throw new SessionVaultError('ERR_OAUTH', `Discovery failed (${response.status})`)
  let meta: unknown
  try {
    meta = JSON.parse(await response.text())
  } catch {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the metadata is not JSON')
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the metadata is not a JSON object')
  }
  if ((meta as Record<string, unknown>).issuer !== issuer) {
    throw new SessionVaultError('ERR_OAUTH', 'Discovery: the metadata issuer does not match auth.issuer')
  }
  return meta as Record<string, unknown>
}

/** An http(s) endpoint URL from metadata, or undefined. */
function endpointOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
    url.hash = ''
    return url.href
  } catch {
    return undefined
  }
}

/** Rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}
