import { challengeOf, randomToken } from '../../src/shared/encoding.js'
import { SessionVaultError } from '../../src/shared/errors.js'
import type { AuthConfig } from '../../src/shared/protocol.js'
import type { TokenSet } from '../token-response.js'
import { type Identity, identityOf } from './jwt.js'
import type { PendingLogin, StepUpRequest } from './oauth-store.js'

/** The client configuration a redirect sign-in reads. */
type ClientConfig = Pick<Extract<AuthConfig, { type: 'oauth' }>, 'clientId' | 'redirectUri' | 'scope' | 'issuer'>

/** Authorization request parameters the vault sets itself: `loginWithRedirect(params)` may not pass them. */
const RESERVED_PARAMS: ReadonlySet<string> = new Set([
  'response_type',
  'response_mode',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'code_verifier',
  'dpop_jkt',
  'request',
  'request_uri',
])

/** An `ERR_OAUTH_CALLBACK`: the redirect back from the authorization server is refused. */
export const callbackError = (why: string) =>
  new SessionVaultError('ERR_OAUTH_CALLBACK', `Sign-in callback refused: ${why}`)

/** Clock skew allowed when `auth_time` is compared with `max_age`. */
const AUTH_TIME_SKEW_S = 60

/** An OAuth `error` code fit for a message: RFC 6749 allows %x20-21 / %x23-5B / %x5D-7E; we keep word characters only. */
const safeCode = (value: string): string => (/^[\w.-]{1,64}$/.test(value) ? value : 'an unrecognised error')

const badParam = (why: string) => new SessionVaultError('ERR_BAD_OPTIONS', `loginWithRedirect: ${why}`)

/**
 * The extra parameters of `loginWithRedirect`, checked: string values, none
 * that the vault sets itself. `returnTo` (a same-origin URL, not sent) and the
 * step-up parameters `max_age` and `acr_values` (sent, and kept for the
 * callback to check) make the {@link StepUpRequest}.
 */
export function extraParams(
  params: Record<string, string>,
  redirectUri: string,
): { extra: [string, string][]; stepUp?: StepUpRequest } {
  const extra: [string, string][] = []
  const stepUp: StepUpRequest = {}
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value !== 'string') throw badParam('parameter values must be strings')
    if (RESERVED_PARAMS.has(name)) throw badParam(`${name.slice(0, 40)} is set by the vault`)
    if (name === 'returnTo') {
      stepUp.returnTo = sameOrigin(value, redirectUri)
      continue
    }
    if (name === 'max_age') {
      if (!/^\d{1,10}$/.test(value)) throw badParam('max_age must be a whole number of seconds')
      stepUp.maxAge = Number(value)
    }
    if (name === 'acr_values') {
      stepUp.acrValues = value.split(' ').filter(Boolean)
      if (!stepUp.acrValues.length) throw badParam('acr_values must name at least one value')
    }
    extra.push([name, value])
  }
  return Object.keys(stepUp).length ? { extra, stepUp } : { extra }
}

function sameOrigin(value: string, redirectUri: string): string {
  let url: URL | undefined
  try {
    url = new URL(value, redirectUri)
  } catch {
    url = undefined
  }
  if (!url || url.origin !== new URL(redirectUri).origin) throw badParam('returnTo must be a same-origin URL')
  return url.href
}

/** With a step-up request, the new ID token must show an authentication as recent (`auth_time`) and strong (`acr`) as asked. */
export function checkStepUp(identity: Identity, stepUp: StepUpRequest | undefined, now: number): void {
  if (!stepUp) return
  const { auth_time: authTime, acr } = identity.claims ?? {}
  if (stepUp.maxAge !== undefined) {
    if (typeof authTime !== 'number') throw callbackError('auth_time missing from the ID token (max_age was asked)')
    if (Math.floor(now / 1000) - authTime > stepUp.maxAge + AUTH_TIME_SKEW_S)
      throw callbackError('the authentication is older than max_age')
  }
  if (stepUp.acrValues && !(typeof acr === 'string' && stepUp.acrValues.includes(acr)))
    throw callbackError('acr is not one of the acr_values asked for')
}

/**
 * A new authorization code request (PKCE S256, fresh `state` and `nonce`,
 * `dpop_jkt` when a DPoP key thumbprint is given): the URL to visit, and the
 * pending login to keep until the callback (the verifier never leaves it).
 */
export async function authorizationRequest(
  endpoint: string,
  config: ClientConfig,
  extra: [string, string][],
  jkt: string | undefined,
  now: number,
  stepUp?: StepUpRequest,
): Promise<{ url: string; pending: PendingLogin }> {
  const verifier = randomToken(32)
  const state = randomToken(32)
  const nonce = randomToken(32)
  const challenge = await challengeOf(verifier)
  const url = new URL(endpoint)
  for (const [name, value] of extra) url.searchParams.set(name, value)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', config.clientId)
  url.searchParams.set('redirect_uri', config.redirectUri)
  url.searchParams.set('scope', config.scope)
  url.searchParams.set('state', state)
  url.searchParams.set('nonce', nonce)
  url.searchParams.set('code_challenge', challenge)
  url.searchParams.set('code_challenge_method', 'S256')
  if (jkt) url.searchParams.set('dpop_jkt', jkt)
  const pending: PendingLogin = { state, nonce, verifier, jkt, createdAt: now }
  if (stepUp) pending.stepUp = stepUp
  return { url: url.href, pending }
}

/**
 * The checks of the redirect back from the authorization server. The pending
 * login its `state` names is taken first (`take(null)` when it names none or
 * several: that burns every pending login), so it is consumed whatever the
 * outcome. Then the URL must be the redirect URI, without repeated
 * parameters or an `error`, with a `state` that matched, the issuer's `iss`
 * (required when `issRequired` resolves true) and a `code`. Every refusal is
 * `ERR_OAUTH_CALLBACK`.
 */
export async function checkCallback(
  url: string,
  config: ClientConfig,
  take: (state: string | null) => Promise<PendingLogin | undefined>,
  issRequired: () => Promise<boolean>,
): Promise<{ code: string; pending: PendingLogin }> {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  const states = parsed?.searchParams.getAll('state') ?? []
  const pending = await take(states.length === 1 ? states[0]! : null).catch(() => undefined)
  if (!parsed) throw callbackError('not a URL')
  const redirect = new URL(config.redirectUri)
  if (parsed.origin !== redirect.origin || parsed.pathname !== redirect.pathname)
    throw callbackError('not the redirect URI')
  const params = parsed.searchParams
  for (const name of ['code', 'state', 'iss', 'error']) {
    if (params.getAll(name).length > 1) throw callbackError(`${name} repeated`)
  }
  const error = params.get('error')
  if (error !== null) throw callbackError(`the authorization server answered ${safeCode(error)}`)
  if (states.length === 0) throw callbackError('state missing')
  if (!pending) throw callbackError('state does not match a sign-in started here (or it expired)')
  const required = await issRequired()
  const iss = params.get('iss')
  if (config.issuer !== undefined) {
    if (iss !== null && iss !== config.issuer) throw callbackError('iss does not match the issuer')
    if (iss === null && required) throw callbackError('iss missing')
  }
  const code = params.get('code')
  if (!code) throw callbackError('code missing')
  return { code, pending }
}

/**
 * Who signed in, from the code exchange's answer, when an issuer is set: its
 * ID token checked against the sign-in's `nonce` (an answer without one is
 * refused when the scope asks for `openid`). No issuer, no identity.
 */
export function signInIdentity(tokens: TokenSet, config: ClientConfig, nonce: string, now: number): Identity {
  const { issuer, clientId } = config
  if (issuer === undefined) return {}
  if (tokens.idToken) return identityOf(tokens.idToken, { issuer, clientId, nonce, now: Math.floor(now / 1000) })
  if (config.scope.split(' ').includes('openid'))
    throw new SessionVaultError('ERR_TOKEN_RESPONSE', 'Malformed token response: id_token missing')
  return {}
}
