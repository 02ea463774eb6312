import { createStore, del, get, set, type UseStore } from 'idb-keyval'
import type { IdleSnapshot } from '../src/protocol.js'

/** The vault's IndexedDB keys: non-secret idle state only (timestamps), one key per channel. */
export class IdleStore {
  #store: UseStore | undefined

  constructor(private readonly key: string) {}

  async load(): Promise<IdleSnapshot | undefined> {
    try {
      const value = await get<IdleSnapshot>(this.key, this.#db())
      return value && typeof value.lastActivityAt === 'number' ? value : undefined
    } catch {
      return undefined
    }
  }

  async save(snapshot: IdleSnapshot): Promise<void> {
    try {
      await set(this.key, snapshot, this.#db())
    } catch {
      /* storage full or blocked: the live tabs still share the state */
    }
  }

  async wipe(): Promise<void> {
    try {
      await del(this.key, this.#db())
    } catch {
      /* nothing stored */
    }
  }

  #db(): UseStore {
    return (this.#store ??= createStore('session-vault', 'state'))
  }
}
