import { hashSecret, randomSecret } from './crypto.js'
import type { TokenKind } from './names.js'
import type { NewToken } from './store.js'

/** A new secret and the record the store keeps of it (its hash). @internal */
export function mint(kind: TokenKind, expiresAt: number): { secret: string; token: NewToken } {
  const secret = randomSecret()
  return { secret, token: { hash: hashSecret(secret), kind, expiresAt } }
}
