import { wrap, type Remote } from 'comlink'
import { installErrorTransfer } from './comlink-errors.js'
import { SessionVaultError } from './errors.js'
import type { VaultApi } from './protocol.js'
import { startWorker } from './trusted-types.js'

/** How long the vault may take to answer its first ping, and any later watchdog ping. */
export const VAULT_TIMEOUTS = { start: 10_000, ping: 5_000 }

/**
 * A running vault worker. `call` races every request against the vault's
 * death: a load failure, an uncaught error, or a watchdog ping that goes
 * unanswered while requests are pending. Once dead, every call rejects
 * `ERR_VAULT_CRASHED`; nothing falls back to the main thread.
 */
export class VaultClient {
  readonly api: Remote<VaultApi>
  readonly #worker: Worker
  readonly #dead: Promise<never>
  #kill!: (reason: string) => void
  #pending = 0
  #watchdog: ReturnType<typeof setInterval> | undefined
  #isDead = false

  constructor(url: string, onCrash: () => void) {
    installErrorTransfer()
    this.#dead = new Promise<never>((_, reject) => {
      this.#kill = (why) => {
        if (this.#isDead) return
        this.#isDead = true
        this.#stopWatchdog()
        this.#worker?.terminate()
        reject(new SessionVaultError('ERR_VAULT_CRASHED', `The vault worker ${why}`))
        onCrash()
      }
    })
    this.#dead.catch(() => {})
    this.#worker = startWorker(url)
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault()
      this.#kill('failed to load or threw an uncaught error')
    })
    this.#worker.addEventListener('messageerror', () => this.#kill('sent a message that could not be read'))
    this.api = wrap<VaultApi>(this.#worker)
  }

  get dead(): boolean {
    return this.#isDead
  }

  /** Resolves once the vault answers a ping; kills it when it does not in time. */
  started(): Promise<void> {
    return this.#ping(VAULT_TIMEOUTS.start, 'did not start')
  }

  async call<T>(request: () => Promise<T>): Promise<T> {
    if (this.#isDead) return this.#dead
    this.#pending++
    this.#startWatchdog()
    try {
      return await Promise.race([request(), this.#dead])
    } finally {
      if (--this.#pending === 0) this.#stopWatchdog()
    }
  }

  terminate(): void {
    this.#stopWatchdog()
    this.#isDead = true
    this.#worker.terminate()
  }

  #ping(timeout: number, why: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.#kill(why), timeout)
      this.#dead.catch(reject)
      this.api.ping().then(() => {
        clearTimeout(timer)
        resolve()
      }, () => this.#kill(why))
    })
  }

  #startWatchdog(): void {
    this.#watchdog ??= setInterval(() => void this.#ping(VAULT_TIMEOUTS.ping, 'stopped answering').catch(() => {}), VAULT_TIMEOUTS.ping)
  }

  #stopWatchdog(): void {
    clearInterval(this.#watchdog)
    this.#watchdog = undefined
  }
}
