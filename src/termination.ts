/**
 * The termination sequence of a session, run once per tab: stop, tell the
 * other tabs (when this tab started it), let the vault call the server and
 * wipe, stop the vault, clear local storage, emit, redirect.
 *
 * No lock decides whether this happens, only which tab calls the server: the
 * one that gets the logout lock at once (its broadcast says so). A tab that
 * does not get it waits half a second for such a broadcast and calls the
 * server itself when none comes, so script holding the lock cannot stop the
 * server call; when several tabs reach a deadline together, exactly one calls
 * the server.
 */
import type { NormalizedOptions } from './options.js'
import { withLock } from './shared/locks.js'
import type { EndReason } from './shared/protocol.js'
import { randomId, type TabChannel, type TabMessage } from './tab-channel.js'
import type { Trace, VaultClient } from './vault-client.js'

/** Milliseconds the vault waits for the server's logout answer before wiping anyway. */
export const LOGOUT_TIMEOUT_MS = 5_000
/** How long the page waits for the vault beyond that (a vault that does not answer at all). */
const VAULT_ANSWER_SLACK_MS = 1_000
/** How long a tab without the logout lock waits for the holder's broadcast before calling the server itself. */
const CLAIM_WAIT_MS = 500

/** Marks the logout broadcast of the tab that holds the logout lock, and so calls the server. */
const CALLER = 'server-'

export interface TerminationContext {
  options: Pick<NormalizedOptions, 'channel' | 'logout'>
  vault: VaultClient
  tabs: TabChannel
  /** Stops everything that could act during the sequence (idle clock, new calls). */
  stop(): void
  /** Detaches what is left once the vault is gone; clears local storage. */
  teardown(): Promise<void>
  ended(reason: EndReason, serverConfirmed: boolean): void
  /** The debug log, when `debug` is on. */
  trace?: Trace
}

export class Termination {
  readonly #ctx: TerminationContext
  /** A tab's logout broadcast said it calls the server (true), or this tab waits for one (its resolver). */
  #claimed: (() => void) | true | undefined
  #finished: Promise<void> | undefined

  constructor(ctx: TerminationContext) {
    this.#ctx = ctx
  }

  /** Whether the sequence has started. */
  get started(): boolean {
    return this.#finished !== undefined
  }

  /**
   * Another tab's logout. It counts even while this tab waits for the logout
   * lock: that is how simultaneous expiries end up calling the server once.
   */
  heard(message: Extract<TabMessage, { type: 'logout' }>): void {
    if (message.id.startsWith(CALLER)) {
      const waiting = this.#claimed
      this.#claimed = true
      if (waiting !== true) waiting?.()
    }
    void this.run(message.reason === 'user' ? 'remote' : message.reason, false)
  }

  /** Runs the sequence once; `initiator`: this tab started it (and tells the others). */
  run(reason: EndReason, initiator: boolean): Promise<void> {
    this.#finished ??= this.#sequence(reason, initiator)
    return this.#finished
  }

  async #sequence(reason: EndReason, initiator: boolean): Promise<void> {
    const { vault, tabs, options, trace } = this.#ctx
    trace?.('logout.start', { reason, initiator })
    this.#ctx.stop()
    let serverConfirmed = false
    let endSessionUrl: string | undefined
    const end = async (callServer: boolean) => {
      if (vault.dead) return
      let timer: ReturnType<typeof setTimeout> | undefined
      const limit = (callServer ? LOGOUT_TIMEOUT_MS : 0) + VAULT_ANSWER_SLACK_MS
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(reject, limit)))
      try {
        const result = await Promise.race([vault.request('logout', callServer), timeout])
        serverConfirmed = result.serverConfirmed
        endSessionUrl = result.endSessionUrl
      } catch {
        /* wipe locally all the same */
      } finally {
        clearTimeout(timer)
      }
    }
    const announce = async (held: boolean) => {
      trace?.('logout.lock', { held })
      tabs.post({ type: 'logout', id: (held ? CALLER : '') + randomId(), reason, at: Date.now() })
      if (!held && this.#claimed !== true) {
        await new Promise<void>(resolve => {
          this.#claimed = resolve
          setTimeout(resolve, CLAIM_WAIT_MS)
        })
      }
      await end(held || this.#claimed !== true)
    }
    await (initiator
      ? withLock(`${options.channel}:logout`, announce, { ifAvailable: true }).catch(() => announce(false))
      : end(false))
    vault.terminate()
    tabs.close()
    await this.#ctx.teardown()
    this.#ctx.ended(reason, serverConfirmed)
    if (endSessionUrl) location.assign(endSessionUrl)
    else if (options.logout.redirectTo) location.replace(options.logout.redirectTo)
  }
}
