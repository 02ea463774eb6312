import type { NormalizedOptions } from './options.js'
import { SessionVaultError, sessionEnded } from './shared/errors.js'
import type { SerializedRequest, VaultApi, VaultConfig, VaultEvent, VaultMethod } from './shared/protocol.js'
import { RpcClient } from './shared/rpc.js'
import { deserializeResponse } from './shared/serialize.js'
import { LOGOUT_TIMEOUT_MS } from './termination.js'
import { startWorker } from './trusted-types.js'

/** What the vault is told at start-up (`init`). */
export function vaultConfigOf(options: NormalizedOptions): VaultConfig {
  const { auth, trustedOrigins, channel, maxBodyBytes, requestTimeout, idle, debug } = options
  return {
    auth,
    trustedOrigins,
    channel,
    logoutTimeout: LOGOUT_TIMEOUT_MS,
    maxBodyBytes,
    requestTimeout,
    absoluteTimeout: idle ? idle.absoluteTimeout : undefined,
    debug: debug !== false,
  }
}

/** A debug log entry from the page (see `shared/debug.ts`). */
export type Trace = (event: string, data?: Record<string, unknown>) => void

/** How long the vault may take to answer its first ping, and any later watchdog ping. */
const VAULT_TIMEOUTS = { start: 10_000, ping: 5_000 }

type Answer<K extends VaultMethod> = Promise<Awaited<ReturnType<VaultApi[K]>>>

/**
 * A running vault worker. `request` races every call against the vault's
 * death: a load failure, an uncaught error, or a watchdog ping that goes
 * unanswered while calls are pending. Once dead, every call rejects
 * `ERR_VAULT_CRASHED`; nothing falls back to the main thread.
 */
export class VaultClient {
  readonly #worker: Worker
  readonly #rpc: RpcClient
  readonly #dead: Promise<never>
  #kill!: (why: string) => void
  /** Rejects once the worker is stopped, for any reason: streamed bodies end with it. */
  readonly closed: Promise<never>
  #close!: (error: Error) => void
  #pending = 0
  #watchdog: ReturnType<typeof setInterval> | undefined
  #isDead = false

  readonly #trace: Trace | undefined

  /** @param trace the debug log: each call, how long it took, how it ended */
  constructor(
    url: string,
    onEvent: (event: VaultEvent) => void,
    onCrash: (error: SessionVaultError) => void,
    trace?: Trace,
  ) {
    this.#trace = trace
    this.#dead = new Promise<never>((_, reject) => {
      this.#kill = why => {
        if (this.#isDead) return
        const error = new SessionVaultError('ERR_VAULT_CRASHED', `The vault worker ${why}`)
        this.terminate(error)
        reject(error)
        onCrash(error)
      }
    })
    this.#dead.catch(() => {})
    this.closed = new Promise<never>((_, reject) => (this.#close = reject))
    this.closed.catch(() => {})
    this.#worker = startWorker(url)
    for (const type of ['error', 'messageerror']) {
      this.#worker.addEventListener(type, event => {
        event.preventDefault()
        this.#kill('failed to load, threw, or sent an unreadable message')
      })
    }
    this.#rpc = new RpcClient(this.#worker, onEvent)
  }

  get dead(): boolean {
    return this.#isDead
  }

  /** Resolves once the vault answers a ping; kills it when it does not in time. */
  started(): Promise<void> {
    return this.#ping(VAULT_TIMEOUTS.start, 'did not start')
  }

  /** A call to the vault, guarded by the watchdog. */
  async request<K extends VaultMethod>(method: K, ...args: Parameters<VaultApi[K]>): Answer<K> {
    if (this.#isDead) return this.#dead
    this.#pending++
    this.#watchdog ??= setInterval(
      () => void this.#ping(VAULT_TIMEOUTS.ping, 'stopped answering').catch(() => {}),
      VAULT_TIMEOUTS.ping,
    )
    const started = Date.now()
    let outcome: Record<string, unknown> = { ok: true }
    try {
      return await Promise.race([this.#rpc.request(method, ...args), this.#dead])
    } catch (error) {
      outcome = { ok: false, code: (error as { code?: unknown })?.code ?? (error as Error)?.name }
      throw error
    } finally {
      if (--this.#pending === 0) this.#stopWatchdog()
      if (method !== 'ping') this.#trace?.(`vault.${method}`, { ...outcome, ms: Date.now() - started })
    }
  }

  /** A call whose answer nobody waits for (timers, aborts, persistence). */
  send<K extends VaultMethod>(method: K, ...args: Parameters<VaultApi[K]>): void {
    if (!this.#isDead) this.#rpc.request(method, ...args).catch(() => {})
  }

  /** Stops the worker; calls still waiting reject with `error` (never hang). */
  terminate(error = sessionEnded()): void {
    this.#stopWatchdog()
    this.#isDead = true
    this.#worker.terminate()
    this.#rpc.close(error)
    this.#close(error)
  }

  #ping(timeout: number, why: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.#kill(why), timeout)
      this.#dead.catch(reject)
      this.#rpc.request('ping').then(
        () => {
          clearTimeout(timer)
          resolve()
        },
        () => this.#kill(why),
      )
    })
  }

  #stopWatchdog(): void {
    clearInterval(this.#watchdog)
    this.#watchdog = undefined
  }
}

/**
 * One `session.fetch` through the vault: aborting `signal` aborts the vault's
 * request (by `id`), and the rejection is the signal's reason, as `fetch` does.
 * A streamed body keeps the request open: aborting later errors the body, and a
 * body dropped unread (collected) stops the vault's request too.
 */
export async function fetchThroughVault(
  vault: VaultClient,
  id: number,
  request: SerializedRequest,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const onAbort = () => vault.send('abort', id)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return deserializeResponse(await vault.request('fetch', id, request), signal, vault.closed, () =>
      vault.send('abort', id),
    )
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw error
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}
