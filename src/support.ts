import { SessionVaultError } from './shared/errors.js'

type Scope = Record<string, unknown>

/** Reads a dotted path (`crypto.subtle`) from `scope`, never throwing. */
const lookup = (scope: Scope, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value == null ? undefined : (value as Scope)[key]), scope)

/**
 * The APIs the vault cannot work without, for these options. Web Locks are not
 * among them: without them single-flight holds within a tab only (documented).
 */
export function requiredApis(auth: { type: string; dpop?: boolean; persist?: string }): string[] {
  const apis = ['Worker', 'BroadcastChannel', 'AbortController', 'crypto.getRandomValues']
  // PKCE S256 and DPoP need WebCrypto, which browsers expose only in a secure context.
  if (auth.type === 'oauth') apis.push('crypto.subtle')
  if (auth.type === 'oauth' && (auth.dpop || auth.persist === 'dpop')) apis.push('indexedDB')
  return apis
}

/** @throws SessionVaultError `ERR_UNSUPPORTED` naming the first missing API */
export function assertSupported(
  auth: { type: string; dpop?: boolean; persist?: string },
  scope: Scope = globalThis as unknown as Scope,
): void {
  const missing = requiredApis(auth).find(api => lookup(scope, api) == null)
  if (missing) {
    const hint = missing === 'crypto.subtle' ? ' (browsers offer it only in a secure context: https or localhost)' : ''
    throw new SessionVaultError(
      'ERR_UNSUPPORTED',
      `session-vault needs ${missing}, which this browser does not provide${hint}`,
    )
  }
}
