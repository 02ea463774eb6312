import { SessionVaultError } from './shared/errors.js'

/** The little of the Trusted Types API the SDK uses (TypeScript's DOM types lack it). */
interface TrustedScriptURLLike {
  toString(): string
}
interface TrustedTypePolicyLike {
  createScriptURL(input: string): TrustedScriptURLLike
}
interface TrustedTypePolicyFactoryLike {
  createPolicy(name: string, rules: { createScriptURL(input: string): string }): TrustedTypePolicyLike
}

const POLICY_NAME = 'session-vault'
let policy: TrustedTypePolicyLike | null | undefined

/**
 * The `session-vault` Trusted Types policy, made once per realm. It only
 * accepts same-origin http(s) URLs, so it cannot be used to load script from
 * elsewhere (nor `blob:` or `data:`).
 */
function sessionVaultPolicy(): TrustedTypePolicyLike | null {
  if (policy !== undefined) return policy
  const factory = (globalThis as { trustedTypes?: TrustedTypePolicyFactoryLike }).trustedTypes
  if (!factory) return (policy = null)
  try {
    policy = factory.createPolicy(POLICY_NAME, {
      createScriptURL(input) {
        const url = new URL(input, location.href)
        if (url.origin !== location.origin || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
          throw new TypeError('session-vault only loads its worker from the same origin')
        }
        return url.href
      },
    })
  } catch (error) {
    throw new SessionVaultError(
      'ERR_TRUSTED_TYPES',
      "Could not create the 'session-vault' Trusted Types policy: add 'trusted-types session-vault' to the CSP",
      { cause: error },
    )
  }
  return policy
}

/** Starts a classic worker from a same-origin URL, through the policy where Trusted Types exist. */
export function startWorker(url: string): Worker {
  const trusted = sessionVaultPolicy()
  return new Worker((trusted ? trusted.createScriptURL(url) : url) as string, { name: 'session-vault' })
}
