import type { Mode, TokenKind } from './names.js'

/** One session as the store keeps it. `id` is public (the `session_id`); secrets are kept only as hashes elsewhere. */
export interface SessionRecord {
  /** Public, non-secret id (128-bit random): `session_id`, the sessions list, revoke-one. */
  id: string
  userId: string
  claims?: Record<string, unknown> | undefined
  mode: Mode
  userAgent: string
  /** Epoch ms. */
  createdAt: number
  /** Epoch ms of the last credential check (login, reauth); records stored before it was kept lack it (use `createdAt`). */
  authTime?: number
  lastSeenAt: number
  idleExpiresAt: number
  absoluteExpiresAt: number
}

/** A secret to remember, by hash. `expiresAt` (epoch ms) bounds its use; the record lives until the session ends. */
export interface NewToken {
  hash: string
  kind: TokenKind
  expiresAt: number
}

/** Why a store ended a session while answering a lookup. */
export type ExpiryReason = 'idle' | 'absolute'

export type CreateResult = { status: 'ok'; replaced: SessionRecord[] } | { status: 'user_revoked' } | { status: 'full' }

export type LookupResult =
  | { status: 'ok'; session: SessionRecord }
  | { status: 'expired'; session: SessionRecord; reason: ExpiryReason }
  | { status: 'invalid' }

export type RenewResult = { status: 'ok'; session: SessionRecord; revoked: SessionRecord[] } | { status: 'invalid' }

export type RotateResult =
  | { status: 'ok'; session: SessionRecord }
  | { status: 'reuse'; session: SessionRecord }
  | { status: 'expired'; session: SessionRecord; reason: ExpiryReason }
  | { status: 'mismatch' }
  | { status: 'invalid' }

/** Outcome of counting one login attempt against the throttle keys. */
export interface ThrottleResult {
  /** Seconds to wait when refused; 0 when the attempt may go on. */
  retryAfter: number
}

/** Throttle parameters for one key class. */
export interface ThrottlePolicy {
  /** Attempts allowed within `windowMs` before backoff starts. */
  freeAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  windowMs: number
}

/**
 * Where sessions live. Every method is one atomic step (a Lua script on
 * Redis): no read-modify-write race between two servers. All times are epoch
 * ms from the server's clock, passed in. Methods reject with
 * `StoreUnavailableError` when the backend cannot be reached.
 */
export interface SessionStore {
  /**
   * Start a session with its first secrets. Refused (`user_revoked`) when the
   * user's sessions were revoked at or after `notRevokedSince` (a login that
   * checked an old password). Sessions named by `replace` (token hashes) end
   * in the same step and are returned.
   */
  create(input: {
    session: SessionRecord
    tokens: NewToken[]
    replace: { hash: string; kind: TokenKind }[]
    notRevokedSince: number
    now: number
  }): Promise<CreateResult>

  /**
   * The live session of a secret. Ends it (`expired`) when past a deadline.
   * `touchIdleMs` moves the idle deadline to now + that (activity).
   * `allowExpiredToken`: accept a secret whose own `expiresAt` has passed.
   */
  lookup(input: {
    hash: string
    kind: TokenKind
    now: number
    touchIdleMs?: number
    allowExpiredToken?: boolean
  }): Promise<LookupResult>

  /**
   * Spend a refresh token and issue `tokens` in its family, atomically.
   * A spent token presented again ends the session (`reuse`, reported once).
   * `expectSessionId`: refuse (`mismatch`, nothing changed) when the token belongs to another session.
   */
  rotate(input: { hash: string; now: number; tokens: NewToken[]; expectSessionId?: string }): Promise<RotateResult>
  // (the store caps every new token's expiresAt at the session's absolute deadline)

  /** End a session (all its secrets stop working). With `userId`, only if it is that user's. Null when there was none. */
  end(input: { sessionId: string; userId?: string; now: number }): Promise<SessionRecord | null>

  /** The user's live sessions, oldest first. */
  list(input: { userId: string; now: number }): Promise<SessionRecord[]>

  /**
   * End every session of a user but `except`; logins that started at or
   * before `now` and have not created their session yet are refused.
   */
  revokeUser(input: {
    userId: string
    except?: string
    now: number
  }): Promise<{ revoked: SessionRecord[]; kept: boolean }>

  /**
   * After a credential change, in one step: when `sessionId` is a live session
   * of `userId`, end every other session of the user, refuse logins that
   * started at or before `now` (as `revokeUser`), and replace the session's
   * secrets with `tokens` (its old ones stop working). `invalid` (nothing
   * changed) when the session is not live.
   */
  renew(input: {
    sessionId: string
    userId: string
    tokens: NewToken[]
    now: number
    /** End the user's other sessions and refuse older logins (a credential change). @default true */
    endOthers?: boolean
    /** A re-authentication: the session's new `authTime`. */
    authTime?: number
    /** Count as activity: the idle deadline becomes now + this. */
    touchIdleMs?: number
  }): Promise<RenewResult>

  /** Count an attempt against each key; refuse while a key is in backoff. */
  throttleHit(input: { keys: { key: string; policy: ThrottlePolicy }[]; now: number }): Promise<ThrottleResult>

  /** Forget attempts of a key (`reset`), or take back one (`undo`). */
  throttleClear(input: { key: string; mode: 'reset' | 'undo' }): Promise<void>

  /** Release timers and connections. */
  close(): Promise<void>
}
