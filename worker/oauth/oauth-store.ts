import { createStore, del, delMany, get, set, type UseStore, update } from 'idb-keyval'
import type { StoredDpopKey } from './dpop.js'

/**
 * What the OAuth vault keeps in IndexedDB (idb-keyval), per channel:
 * - the pending logins (state, nonce, PKCE verifier) from `loginWithRedirect`
 *   until the callback, for at most `PENDING_TTL_MS`: worker memory does not
 *   survive the navigation to the authorization server;
 * - the DPoP key (a non-extractable CryptoKey and its public JWK);
 * - with `persist: 'dpop'` only, the DPoP-bound refresh token, with the
 *   thumbprint of the key it is bound to and the non-secret claims.
 * Nothing else, and never an access token or an ID token.
 */

const PENDING_TTL_MS = 10 * 60_000
/** At most this many logins may be pending at once (several tabs, repeated clicks). */
const MAX_PENDING = 5

export interface PendingLogin {
  state: string
  nonce: string
  verifier: string
  /** Thumbprint of the DPoP key named in the authorization request (`dpop_jkt`). */
  jkt?: string
  /** Epoch ms. */
  createdAt: number
  /** Step-up: what the request asked for (`max_age`, `acr_values`), for the ID token to prove, and where to go after. */
  stepUp?: StepUpRequest
}

export interface StepUpRequest {
  maxAge?: number
  acrValues?: string[]
  returnTo?: string
}

export interface PersistedSession {
  refreshToken: string
  /** Thumbprint of the DPoP key the refresh token is bound to. */
  jkt: string
  sub?: string
  claims?: Record<string, unknown>
  /** Epoch ms. */
  savedAt: number
}

const DB_NAME = 'session-vault-oauth'
const STORE_NAME = 'keys'

const isPending = (value: unknown): value is PendingLogin => {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  return (
    typeof p.state === 'string' &&
    typeof p.nonce === 'string' &&
    typeof p.verifier === 'string' &&
    typeof p.createdAt === 'number'
  )
}

/** The storage the OAuth vault needs (IndexedDB in the vault; a Map in unit tests). */
export interface OAuthStorage {
  addPending(login: PendingLogin): Promise<void>
  takePending(state: string | null): Promise<PendingLogin | undefined>
  loadKey(): Promise<unknown>
  saveKey(key: StoredDpopKey): Promise<void>
  loadSession(): Promise<PersistedSession | undefined>
  saveSession(session: PersistedSession): Promise<void>
  deleteSession(): Promise<void>
  wipe(): Promise<void>
}

export class OAuthStore implements OAuthStorage {
  #store: UseStore | undefined
  readonly #prefix: string
  readonly #now: () => number
  readonly #open: () => UseStore

  /**
   * @param prefix the channel's key prefix
   * @param open opens the database (once, on first use)
   */
  constructor(
    prefix: string,
    now: () => number = Date.now,
    open: () => UseStore = () => createStore(DB_NAME, STORE_NAME),
  ) {
    this.#prefix = prefix
    this.#now = now
    this.#open = open
  }

  get #keys() {
    return { pending: `${this.#prefix}|pending`, key: `${this.#prefix}|dpop-key`, session: `${this.#prefix}|session` }
  }

  /** Adds a pending login; drops expired ones and keeps the newest `MAX_PENDING`. Atomic across tabs. */
  async addPending(login: PendingLogin): Promise<void> {
    const now = this.#now()
    await update<PendingLogin[]>(
      this.#keys.pending,
      current => [...this.#live(current, now), login].slice(-MAX_PENDING),
      this.#db(),
    )
  }

  /**
   * Takes the pending login whose `state` matches, removing it. When none
   * matches (or `state` is missing) every pending login is dropped: a callback
   * that does not belong to this browser burns them all.
   */
  async takePending(state: string | null): Promise<PendingLogin | undefined> {
    if (!(await this.#exists())) return undefined
    const now = this.#now()
    let found: PendingLogin | undefined
    await update<PendingLogin[]>(
      this.#keys.pending,
      current => {
        const live = this.#live(current, now)
        found = state === null ? undefined : live.find(p => p.state === state)
        return found ? live.filter(p => p !== found) : []
      },
      this.#db(),
    )
    return found
  }

  async loadKey(): Promise<unknown> {
    return (await this.#exists()) ? get(this.#keys.key, this.#db()) : undefined
  }

  async saveKey(key: StoredDpopKey): Promise<void> {
    await set(this.#keys.key, { privateKey: key.privateKey, publicJwk: key.publicJwk }, this.#db())
  }

  async loadSession(): Promise<PersistedSession | undefined> {
    if (!(await this.#exists())) return undefined
    const value = await get<PersistedSession>(this.#keys.session, this.#db())
    if (typeof value !== 'object' || value === null) return undefined
    if (typeof value.refreshToken !== 'string' || typeof value.jkt !== 'string') return undefined
    return value
  }

  async saveSession(session: PersistedSession): Promise<void> {
    await set(this.#keys.session, session, this.#db())
  }

  async deleteSession(): Promise<void> {
    if (await this.#exists()) await del(this.#keys.session, this.#db())
  }

  /** Deletes the key, the persisted session and every pending login. */
  async wipe(): Promise<void> {
    const { pending, key, session } = this.#keys
    if (await this.#exists()) await delMany([pending, key, session], this.#db())
  }

  /** Reads and deletes never create the database (nor re-create one that `Clear-Site-Data` removed). */
  async #exists(): Promise<boolean> {
    const databases = await indexedDB.databases?.()
    return !databases || databases.some(db => db.name === DB_NAME)
  }

  #live(current: PendingLogin[] | undefined, now: number): PendingLogin[] {
    return (Array.isArray(current) ? current : []).filter(
      p => isPending(p) && p.createdAt <= now && now - p.createdAt < PENDING_TTL_MS,
    )
  }

  #db(): UseStore {
    return (this.#store ??= this.#open())
  }
}
