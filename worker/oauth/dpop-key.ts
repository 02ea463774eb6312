import { withLock } from '../../src/shared/locks.js'
import { type DpopKey, generateDpopKey, usableKey } from './dpop.js'
import type { OAuthStorage } from './oauth-store.js'

/**
 * The vault's DPoP key: kept in memory once known, else read back from
 * IndexedDB (only a non-extractable P-256 signing key is accepted), else
 * made on request. Making it takes a Web Lock and reads storage again, so
 * two tabs starting a sign-in together end up with one key.
 */
export class DpopKeyHolder {
  #key: DpopKey | undefined
  #loading: Promise<DpopKey | undefined> | undefined
  #forgotten = false
  readonly #store: Pick<OAuthStorage, 'loadKey' | 'saveKey'>
  readonly #lockName: string

  /** @param lockName the Web Lock that key creation takes, across tabs */
  constructor(store: Pick<OAuthStorage, 'loadKey' | 'saveKey'>, lockName: string) {
    this.#store = store
    this.#lockName = lockName
  }

  /** The key, or undefined when there is none (and `create` is false). */
  async get(create: boolean): Promise<DpopKey | undefined> {
    if (this.#key) return this.#key
    const load = async (): Promise<DpopKey | undefined> => usableKey(await this.#store.loadKey().catch(() => undefined))
    let key = await (this.#loading ??= load().finally(() => (this.#loading = undefined)))
    if (!key && create) {
      key = await withLock(this.#lockName, async () => {
        const again = await load()
        if (again) return again
        const fresh = await generateDpopKey()
        await this.#store.saveKey(fresh)
        return fresh
      })
    }
    if (key && !this.#forgotten) this.#key = key
    return key
  }

  /** Drops the key from memory for good (the wipe deletes the stored one). */
  forget(): void {
    this.#forgotten = true
    this.#key = undefined
  }
}
