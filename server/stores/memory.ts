import { SessionServerError } from '../core/errors.js'
import type { TokenKind } from '../core/names.js'
import type {
  CreateResult,
  ExpiryReason,
  LookupResult,
  NewToken,
  RenewResult,
  RotateResult,
  SessionRecord,
  SessionStore,
  ThrottleResult,
} from '../core/store.js'
import { countAttempt, lockedFor, type ThrottleState } from './throttle-math.js'

/** Options of `memoryStore`. */
export interface MemoryStoreOptions {
  /**
   * Most live sessions held. When full (after a sweep), new logins are refused
   * with 503 + `Retry-After`: nobody else's session is evicted to make room.
   * @default 100000
   */
  maxSessions?: number
  /**
   * Most live sessions per user; a login past it ends that user's oldest session.
   * @default 100
   */
  maxSessionsPerUser?: number
  /**
   * Most throttle keys held; past it the oldest are forgotten.
   * @default 100000
   */
  maxThrottleKeys?: number
  /**
   * How often expired sessions and stale entries are swept, seconds (0 = never; lookups still enforce every deadline).
   * @default 60
   */
  sweepInterval?: number
  /**
   * Clock of the sweeper, epoch ms (give it the server's clock in tests).
   * @default Date.now
   */
  now?: () => number
}

interface TokenEntry {
  kind: TokenKind
  sessionId: string
  expiresAt: number
  spent: boolean
}

interface SessionEntry {
  record: SessionRecord
  tokens: Set<string>
}

const REVOCATION_MEMORY_MS = 10 * 60_000

/** The in-memory store (default): one process, zero set-up, bounded, swept. */
export interface MemoryStore extends SessionStore {
  /** End sessions past a deadline, forget stale throttle and revocation entries. Returns how many sessions ended. */
  sweep(now?: number): number
  /** Counts, for tests and monitoring. */
  size(): { sessions: number; tokens: number; throttleKeys: number }
}

/** An in-memory session store: the default, for one process. */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxSessions = options.maxSessions ?? 100_000
  const maxPerUser = options.maxSessionsPerUser ?? 100
  const maxThrottleKeys = options.maxThrottleKeys ?? 100_000
  const sweepInterval = options.sweepInterval ?? 60
  const clock = options.now ?? Date.now
  for (const [name, value] of Object.entries({ maxSessions, maxPerUser, maxThrottleKeys })) {
    if (!Number.isInteger(value) || value < 1)
      throw new SessionServerError('ERR_BAD_OPTIONS', `memoryStore: ${name} must be a positive integer`)
  }

  const sessions = new Map<string, SessionEntry>()
  const tokens = new Map<string, TokenEntry>()
  const users = new Map<string, Set<string>>()
  const revokedAt = new Map<string, number>()
  const throttle = new Map<string, ThrottleState>()

  function end(id: string): SessionRecord | null {
    const entry = sessions.get(id)
    if (!entry) return null
    sessions.delete(id)
    for (const hash of entry.tokens) tokens.delete(hash)
    const set = users.get(entry.record.userId)
    set?.delete(id)
    if (set && set.size === 0) users.delete(entry.record.userId)
    return { ...entry.record }
  }

  function expiry(record: SessionRecord, now: number): ExpiryReason | null {
    if (now >= record.absoluteExpiresAt) return 'absolute'
    if (now >= record.idleExpiresAt) return 'idle'
    return null
  }

  function addToken(entry: SessionEntry, token: NewToken): void {
    tokens.set(token.hash, {
      kind: token.kind,
      sessionId: entry.record.id,
      expiresAt: Math.min(token.expiresAt, entry.record.absoluteExpiresAt),
      spent: false,
    })
    entry.tokens.add(token.hash)
  }

  function liveOf(userId: string, now: number): SessionEntry[] {
    const live: SessionEntry[] = []
    for (const id of users.get(userId) ?? []) {
      const entry = sessions.get(id)
      if (!entry) continue
      if (expiry(entry.record, now)) end(id)
      else live.push(entry)
    }
    return live.sort((a, b) => a.record.createdAt - b.record.createdAt)
  }

  function sweep(now = clock()): number {
    let ended = 0
    for (const [id, entry] of sessions) {
      if (expiry(entry.record, now)) {
        end(id)
        ended++
      }
    }
    for (const [user, at] of revokedAt) if (now - at > REVOCATION_MEMORY_MS) revokedAt.delete(user)
    for (const [key, state] of throttle) if (now >= state.windowEnd && now >= state.lockedUntil) throttle.delete(key)
    return ended
  }

  const timer = sweepInterval > 0 ? setInterval(() => sweep(), sweepInterval * 1000) : null
  timer?.unref?.()

  return {
    async create({ session, tokens: newTokens, replace, notRevokedSince, now }): Promise<CreateResult> {
      const revoked = revokedAt.get(session.userId)
      if (revoked !== undefined && revoked >= notRevokedSince) return { status: 'user_revoked' }
      const replaced: SessionRecord[] = []
      for (const { hash, kind } of replace) {
        const token = tokens.get(hash)
        if (!token || token.kind !== kind) continue
        const old = end(token.sessionId)
        if (old) replaced.push(old)
      }
      if (sessions.size >= maxSessions) sweep(now)
      if (sessions.size >= maxSessions) return { status: 'full' }
      const live = liveOf(session.userId, now)
      for (let i = 0; i <= live.length - maxPerUser; i++) end(live[i]!.record.id)
      const entry: SessionEntry = { record: { ...session }, tokens: new Set() }
      sessions.set(session.id, entry)
      for (const token of newTokens) addToken(entry, token)
      let set = users.get(session.userId)
      if (!set) users.set(session.userId, (set = new Set()))
      set.add(session.id)
      return { status: 'ok', replaced }
    },

    async lookup({ hash, kind, now, touchIdleMs, allowExpiredToken }): Promise<LookupResult> {
      const token = tokens.get(hash)
      if (!token || token.kind !== kind) return { status: 'invalid' }
      const entry = sessions.get(token.sessionId)
      if (!entry) return { status: 'invalid' }
      const reason = expiry(entry.record, now)
      if (reason) return { status: 'expired', session: end(entry.record.id)!, reason }
      if (!allowExpiredToken && (token.spent || now >= token.expiresAt)) return { status: 'invalid' }
      if (touchIdleMs !== undefined) {
        entry.record.lastSeenAt = now
        entry.record.idleExpiresAt = now + touchIdleMs
      }
      return { status: 'ok', session: { ...entry.record } }
    },

    async rotate({ hash, now, tokens: newTokens, expectSessionId }): Promise<RotateResult> {
      const token = tokens.get(hash)
      if (token?.kind !== 'refresh') return { status: 'invalid' }
      const entry = sessions.get(token.sessionId)
      if (!entry) return { status: 'invalid' }
      if (expectSessionId !== undefined && expectSessionId !== token.sessionId) return { status: 'mismatch' }
      if (token.spent) return { status: 'reuse', session: end(entry.record.id)! }
      const reason = expiry(entry.record, now)
      if (reason) return { status: 'expired', session: end(entry.record.id)!, reason }
      if (now >= token.expiresAt) return { status: 'invalid' }
      token.spent = true
      for (const h of entry.tokens) {
        const t = tokens.get(h)
        if (t && t.kind === 'access' && now >= t.expiresAt) {
          tokens.delete(h)
          entry.tokens.delete(h)
        }
      }
      for (const t of newTokens) addToken(entry, t)
      return { status: 'ok', session: { ...entry.record } }
    },

    async end({ sessionId, userId }) {
      const entry = sessions.get(sessionId)
      if (!entry || (userId !== undefined && entry.record.userId !== userId)) return null
      return end(sessionId)
    },

    async list({ userId, now }) {
      return liveOf(userId, now).map(e => ({ ...e.record }))
    },

    async revokeUser({ userId, except, now }) {
      revokedAt.set(userId, Math.max(now, revokedAt.get(userId) ?? 0))
      const revoked: SessionRecord[] = []
      let kept = false
      for (const entry of liveOf(userId, now)) {
        if (entry.record.id === except) kept = true
        else revoked.push(end(entry.record.id)!)
      }
      return { revoked, kept }
    },

    async renew({
      sessionId,
      userId,
      tokens: newTokens,
      now,
      endOthers = true,
      authTime,
      touchIdleMs,
    }): Promise<RenewResult> {
      const entry = sessions.get(sessionId)
      if (!entry || entry.record.userId !== userId) return { status: 'invalid' }
      if (expiry(entry.record, now)) {
        end(sessionId)
        return { status: 'invalid' }
      }
      const revoked: SessionRecord[] = []
      if (endOthers) {
        revokedAt.set(userId, Math.max(now, revokedAt.get(userId) ?? 0))
        for (const other of liveOf(userId, now)) if (other.record.id !== sessionId) revoked.push(end(other.record.id)!)
      }
      if (authTime !== undefined) entry.record.authTime = authTime
      if (touchIdleMs !== undefined) {
        entry.record.lastSeenAt = now
        entry.record.idleExpiresAt = now + touchIdleMs
      }
      for (const hash of entry.tokens) tokens.delete(hash)
      entry.tokens.clear()
      for (const token of newTokens) addToken(entry, token)
      return { status: 'ok', session: { ...entry.record }, revoked }
    },

    async throttleHit({ keys, now }): Promise<ThrottleResult> {
      const retryAfter = Math.max(0, ...keys.map(({ key }) => lockedFor(throttle.get(key), now)))
      if (retryAfter > 0) return { retryAfter }
      for (const { key, policy } of keys) {
        const next = countAttempt(throttle.get(key), policy, now)
        throttle.delete(key)
        throttle.set(key, next)
      }
      while (throttle.size > maxThrottleKeys) throttle.delete(throttle.keys().next().value!)
      return { retryAfter: 0 }
    },

    async throttleClear({ key, mode }) {
      if (mode === 'reset') throttle.delete(key)
      else {
        const state = throttle.get(key)
        if (state && state.count > 0) state.count--
      }
    },

    async close() {
      if (timer) clearInterval(timer)
    },

    sweep,
    size: () => ({ sessions: sessions.size, tokens: tokens.size, throttleKeys: throttle.size }),
  }
}
