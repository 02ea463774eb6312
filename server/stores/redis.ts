import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { importPeer, MissingPeerError, SessionServerError, StoreUnavailableError } from '../core/errors.js'
import type { ExpiryReason, NewToken, SessionRecord, SessionStore } from '../core/store.js'
import * as scripts from './redis-scripts.js'

/** Options of `redisStore`. */
export interface RedisStoreOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379` or `rediss://user:pass@host:6380/0`. */
  url: string
  /**
   * Prefix of every key.
   * @default 'sv:'
   */
  prefix?: string
  /**
   * A command that has not answered after this long fails the request with 503, ms.
   * @default 2000
   */
  commandTimeout?: number
  /**
   * Most live sessions per user; a login past it ends that user's oldest session.
   * @default 100
   */
  maxSessionsPerUser?: number
  /**
   * Extra ms added to every key's TTL past the session's own deadline (deadlines are checked on every lookup).
   * @default 60000
   */
  ttlGrace?: number
  /**
   * Delay before reconnect attempt n, ms.
   * @default (n) => Math.min(50 * 2 ** n, 2000)
   */
  reconnectDelay?: (attempt: number) => number
  /** Called with connection errors (the store keeps reconnecting; requests answer 503 meanwhile). */
  onError?: (error: Error) => void
}

/** The Redis store: sessions shared by every server process. */
export interface RedisStore extends SessionStore {
  /**
   * Resolves once connected the first time. While Redis is unreachable it keeps waiting (the
   * client reconnects; requests answer 503 meanwhile), so race it with a timeout to fail a start;
   * rejects only when the `redis` package cannot be loaded.
   */
  readonly ready: Promise<void>
  /** Whether the client is connected now. */
  isReady(): boolean
}

interface MinimalClient {
  isReady: boolean
  on(event: 'error', listener: (error: Error) => void): unknown
  connect(): Promise<unknown>
  close?(): Promise<unknown>
  quit?(): Promise<unknown>
  destroy?(): void
  sendCommand(args: string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>
}

const REVOCATION_MEMORY_MS = 10 * 60_000

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

/** How many fields a session travels as in a script's answer (`FIELDS` of the scripts). */
const NF = 6

function recordOf(fields: unknown[], offset: number): SessionRecord {
  const [d, u, ls, ie, ae, at] = fields.slice(offset, offset + NF)
  const data = JSON.parse(String(d)) as Omit<
    SessionRecord,
    'userId' | 'lastSeenAt' | 'idleExpiresAt' | 'absoluteExpiresAt'
  >
  return {
    ...data,
    userId: String(u),
    lastSeenAt: Number(ls),
    idleExpiresAt: Number(ie),
    absoluteExpiresAt: Number(ae),
    // No `at`: a session stored before auth times were kept (its `createdAt` counts).
    ...(at !== null && at !== undefined && { authTime: Number(at) }),
  }
}

function recordsOf(fields: unknown[], offset: number): SessionRecord[] {
  const out: SessionRecord[] = []
  for (let i = offset; i + NF <= fields.length; i += NF) out.push(recordOf(fields, i))
  return out
}

function tokenArgs(tokens: NewToken[]): string[] {
  return tokens.flatMap(t => [t.hash, t.kind, String(t.expiresAt)])
}

/**
 * A Redis session store (the `redis` package, an optional peer dependency:
 * `npm install redis`). Every operation is one Lua script; sessions, tokens
 * (SHA-256 hashes only) and the per-user index carry TTLs from the idle and
 * absolute deadlines. Redis down: operations reject with
 * `StoreUnavailableError` (503) at once, and the client reconnects in the background.
 * Standalone Redis (or a primary behind Sentinel); not Redis Cluster.
 * @throws {MissingPeerError} at once when the `redis` package is not installed
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options?.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new SessionServerError('ERR_BAD_OPTIONS', 'redisStore: url must be a redis:// or rediss:// URL')
  }
  try {
    createRequire(import.meta.url).resolve('redis')
  } catch (error) {
    throw new MissingPeerError('redis', 'redisStore', { cause: error })
  }
  const prefix = options.prefix ?? 'sv:'
  const timeout = options.commandTimeout ?? 2000
  const maxPerUser = options.maxSessionsPerUser ?? 100
  const grace = String(options.ttlGrace ?? 60_000)
  const reconnectDelay = options.reconnectDelay ?? ((n: number) => Math.min(50 * 2 ** n, 2000))
  const shas = new Map<string, string>()
  let closed = false
  let current: MinimalClient | null = null

  const clientPromise: Promise<MinimalClient> = importPeer('redis', 'redisStore', () => import('redis')).then(redis => {
    const client = redis.createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        reconnectStrategy: (retries: number) => (closed ? false : reconnectDelay(retries)),
        connectTimeout: timeout,
      },
    }) as unknown as MinimalClient
    client.on('error', error => options.onError?.(error))
    current = client
    return client
  })
  const ready = clientPromise.then(async client => {
    await client.connect()
  })
  ready.catch(() => {})

  async function evalScript(script: string, args: string[]): Promise<unknown[]> {
    if (closed) throw new StoreUnavailableError('Session store closed')
    const client = await clientPromise
    if (!client.isReady) throw new StoreUnavailableError()
    let sha = shas.get(script)
    if (!sha) shas.set(script, (sha = sha1(script)))
    const argv = [prefix, grace, ...args]
    try {
      try {
        return (await client.sendCommand(['EVALSHA', sha, '0', ...argv], {
          abortSignal: AbortSignal.timeout(timeout),
        })) as unknown[]
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error
        return (await client.sendCommand(['EVAL', script, '0', ...argv], {
          abortSignal: AbortSignal.timeout(timeout),
        })) as unknown[]
      }
    } catch (error) {
      const name = (error as Error)?.constructor?.name ?? ''
      // A Lua or reply error is a bug, not an outage: let it surface as a 500.
      if (name === 'ErrorReply' || name === 'SimpleError') throw error
      throw new StoreUnavailableError('Session store unavailable', { cause: error })
    }
  }

  return {
    ready,
    isReady: () => !closed && current?.isReady === true,

    async create({ session, tokens, replace, notRevokedSince, now }) {
      const { userId, lastSeenAt, idleExpiresAt, absoluteExpiresAt, authTime, ...data } = session
      const r = await evalScript(scripts.CREATE, [
        String(now),
        String(notRevokedSince),
        session.id,
        JSON.stringify(data),
        userId,
        String(lastSeenAt),
        String(idleExpiresAt),
        String(absoluteExpiresAt),
        String(maxPerUser),
        String(tokens.length),
        ...tokenArgs(tokens),
        String(replace.length),
        ...replace.flatMap(t => [t.hash, t.kind]),
        String(authTime ?? session.createdAt),
      ])
      if (r[0] === 'user_revoked') return { status: 'user_revoked' }
      return { status: 'ok', replaced: recordsOf(r, 1) }
    },

    async lookup({ hash, kind, now, touchIdleMs, allowExpiredToken }) {
      const touch = touchIdleMs === undefined ? '' : String(now + touchIdleMs)
      const r = await evalScript(scripts.LOOKUP, [String(now), hash, kind, touch, allowExpiredToken ? '1' : '0'])
      if (r[0] === 'ok') return { status: 'ok', session: recordOf(r, 1) }
      if (r[0] === 'expired')
        return { status: 'expired', reason: String(r[1]) as ExpiryReason, session: recordOf(r, 2) }
      return { status: 'invalid' }
    },

    async rotate({ hash, now, tokens, expectSessionId }) {
      const r = await evalScript(scripts.ROTATE, [
        String(now),
        hash,
        expectSessionId ?? '',
        String(tokens.length),
        ...tokenArgs(tokens),
      ])
      switch (r[0]) {
        case 'ok':
          return { status: 'ok', session: recordOf(r, 1) }
        case 'reuse':
          return { status: 'reuse', session: recordOf(r, 1) }
        case 'expired':
          return { status: 'expired', reason: String(r[1]) as ExpiryReason, session: recordOf(r, 2) }
        case 'mismatch':
          return { status: 'mismatch' }
        default:
          return { status: 'invalid' }
      }
    },

    async end({ sessionId, userId }) {
      const r = await evalScript(scripts.END, [sessionId, userId ?? ''])
      return r[0] === 'ok' ? recordOf(r, 1) : null
    },

    async list({ userId, now }) {
      const r = await evalScript(scripts.LIST, [String(now), userId])
      return recordsOf(r, 1).sort((a, b) => a.createdAt - b.createdAt)
    },

    async revokeUser({ userId, except, now }) {
      const r = await evalScript(scripts.REVOKE_USER, [String(now), userId, except ?? '', String(REVOCATION_MEMORY_MS)])
      return { kept: r[0] === '1', revoked: recordsOf(r, 1) }
    },

    async renew({ sessionId, userId, tokens, now, endOthers = true, authTime, touchIdleMs }) {
      const r = await evalScript(scripts.RENEW, [
        String(now),
        sessionId,
        userId,
        String(REVOCATION_MEMORY_MS),
        String(tokens.length),
        ...tokenArgs(tokens),
        endOthers ? '1' : '0',
        authTime === undefined ? '' : String(authTime),
        touchIdleMs === undefined ? '' : String(now + touchIdleMs),
      ])
      if (r[0] !== 'ok') return { status: 'invalid' }
      return { status: 'ok', session: recordOf(r, 1), revoked: recordsOf(r, 1 + NF) }
    },

    async throttleHit({ keys, now }) {
      const args = keys.flatMap(({ key, policy }) => [
        key,
        String(policy.freeAttempts),
        String(policy.baseDelayMs),
        String(policy.maxDelayMs),
        String(policy.windowMs),
      ])
      const r = await evalScript(scripts.THROTTLE_HIT, [String(now), String(keys.length), ...args])
      return { retryAfter: Number(r[0]) }
    },

    async throttleClear({ key, mode }) {
      await evalScript(scripts.THROTTLE_CLEAR, [key, mode])
    },

    async close() {
      if (closed) return
      closed = true
      const client = await clientPromise.catch(() => null)
      if (!client) return
      try {
        if (client.isReady) await (client.close?.() ?? client.quit?.())
        else client.destroy?.()
      } catch {
        client.destroy?.()
      }
    },
  }
}
