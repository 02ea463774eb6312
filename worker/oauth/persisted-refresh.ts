import type { Identity } from './jwt.js'
import type { OAuthStorage, PersistedSession } from './oauth-store.js'

/**
 * With `persist: 'dpop'`: the DPoP-bound refresh token kept in storage for
 * reloads and new tabs, and the rules for using it (bound to the vault's
 * key, about the same user). Every tab reads it again under the refresh
 * lock and writes the rotated one back, so none sends a spent token.
 * Without `persist: 'dpop'` nothing is stored and nothing is found.
 */
export class PersistedRefresh {
  readonly #store: OAuthStorage
  readonly #enabled: boolean
  readonly #now: () => number

  constructor(store: OAuthStorage, enabled: boolean, now: () => number) {
    this.#store = store
    this.#enabled = enabled
    this.#now = now
  }

  /** The stored session, if any; a storage failure rejects. */
  load(): Promise<PersistedSession | undefined> {
    return this.#enabled ? this.#store.loadSession() : Promise.resolve(undefined)
  }

  /** The stored session when it may stand in for the held one: about `sub` (unless unknown), bound to `jkt` (when given). */
  async usable(sub: string | undefined, jkt?: string): Promise<PersistedSession | undefined> {
    const stored = await this.load()
    if (!stored || (jkt !== undefined && stored.jkt !== jkt) || (sub !== undefined && stored.sub !== sub))
      return undefined
    return stored
  }

  /** Stores a refresh token bound to the key `jkt`, with the non-secret identity. */
  async save(refreshToken: string, jkt: string, identity: Identity): Promise<void> {
    if (this.#enabled) await this.#store.saveSession({ refreshToken, jkt, ...identity, savedAt: this.#now() })
  }

  /** Deletes the stored session; never rejects. */
  async forget(): Promise<void> {
    if (this.#enabled) await this.#store.deleteSession().catch(() => {})
  }
}
