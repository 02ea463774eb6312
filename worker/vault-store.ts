import { createStore, del, get, set, type UseStore } from 'idb-keyval'
import { parseStoredSnapshot } from '../src/shared/idle-snapshot.js'
import type { IdleSnapshot } from '../src/shared/protocol.js'

const DB_NAME = 'session-vault'

/**
 * A stored idle snapshot as the page may adopt it, or undefined. Storage is
 * writable by any script of the origin, so it is checked like a channel
 * message ({@link parseStoredSnapshot}: no activity in the future, plausible
 * times, a sign-in time), and its absolute deadline is never later than
 * sign-in plus `absoluteTimeout`. `session` identifies the server-side session
 * (`VaultInfo.sessionId`), so a snapshot left by an earlier session is never
 * adopted after a new sign-in (through the server's own form, say).
 */
export function storedSnapshot(
  value: unknown,
  now: number,
  session?: string,
  absoluteTimeout?: number,
): IdleSnapshot | undefined {
  const snapshot = parseStoredSnapshot(value, now)
  if (!snapshot || (value as { session?: unknown }).session !== session) return undefined
  if (absoluteTimeout !== undefined) {
    snapshot.absoluteDeadline = Math.min(snapshot.absoluteDeadline ?? Infinity, snapshot.signedInAt + absoluteTimeout)
  }
  return snapshot
}

/**
 * The vault's IndexedDB keys, one pair per channel, nothing secret: the idle
 * snapshot (timestamps) and a marker for a logout the server never confirmed.
 */
export class VaultStore {
  #store: UseStore | undefined
  readonly #channel: string

  constructor(channel: string) {
    this.#channel = channel
  }

  /** The idle snapshot, when it passes {@link storedSnapshot}. */
  async loadIdle(session?: string, absoluteTimeout?: number): Promise<IdleSnapshot | undefined> {
    return storedSnapshot(await this.#get('idle'), Date.now(), session, absoluteTimeout)
  }

  saveIdle(snapshot: IdleSnapshot, session?: string): Promise<void> {
    return this.#set('idle', { ...snapshot, session })
  }

  /** Remembers that the user signed out while the server was unreachable. */
  markLogoutPending(): Promise<void> {
    return this.#set('logout-pending', Date.now())
  }

  async logoutPending(): Promise<boolean> {
    return (await this.#get<number>('logout-pending')) !== undefined
  }

  clearLogoutPending(): Promise<void> {
    return this.#del('logout-pending')
  }

  wipeIdle(): Promise<void> {
    return this.#del('idle')
  }

  async #get<T>(key: string): Promise<T | undefined> {
    try {
      return (await this.#exists()) ? await get<T>(`${this.#channel}:${key}`, this.#db()) : undefined
    } catch {
      return undefined
    }
  }

  async #set(key: string, value: unknown): Promise<void> {
    try {
      await set(`${this.#channel}:${key}`, value, this.#db())
    } catch {
      /* storage full or blocked: the live tabs still share the state */
    }
  }

  /** Deletes a key, but never re-creates a database that `Clear-Site-Data` already removed. */
  async #del(key: string): Promise<void> {
    try {
      if (await this.#exists()) await del(`${this.#channel}:${key}`, this.#db())
    } catch {
      /* nothing stored */
    }
  }

  async #exists(): Promise<boolean> {
    const databases = await indexedDB.databases?.()
    return !databases || databases.some(db => db.name === DB_NAME)
  }

  #db(): UseStore {
    return (this.#store ??= createStore(DB_NAME, 'state'))
  }
}
