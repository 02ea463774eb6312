/**
 * Hosting the idle controller: the one idle clock of a signed-in tab, wired to
 * the vault (its wake-up timer, keepalive and persistence), the other tabs,
 * activity listeners and the on-demand warning dialog.
 */
import { listenForActivity, listenForFrameActivity } from './activity.js'
import type { DialogSession } from './dialog/dialog.js'
import type { Emitter } from './emitter.js'
import { IdleController } from './idle.js'
import { SteadyClock } from './idle-clock.js'
import type { NormalizedDialog, NormalizedIdle } from './options.js'
import { SessionVaultError } from './shared/errors.js'
import { withLockOrWithout } from './shared/locks.js'
import type { IdleSnapshot } from './shared/protocol.js'
import type { TabChannel, TabMessage } from './tab-channel.js'
import type { SessionEvents } from './types.js'
import type { VaultClient } from './vault-client.js'

/** The idle state of a sign-in that just happened (or a session first seen in this browser). */
export function freshSnapshot(now: number, idle: NormalizedIdle | false): IdleSnapshot {
  const absolute = idle ? idle.absoluteTimeout : undefined
  return { lastActivityAt: now, signedInAt: now, absoluteDeadline: absolute === undefined ? undefined : now + absolute }
}

/**
 * The idle state a restored session adopts: the one the tabs persisted, else a fresh one. A snapshot
 * saved before `absoluteTimeout` was configured must not lift the limit.
 */
export function restoredSnapshot(now: number, idle: NormalizedIdle | false, persisted?: IdleSnapshot): IdleSnapshot {
  const fresh = freshSnapshot(now, idle)
  return persisted ? { ...persisted, absoluteDeadline: persisted.absoluteDeadline ?? fresh.absoluteDeadline } : fresh
}

export interface IdleHostContext {
  idle: NormalizedIdle
  dialog: NormalizedDialog | false
  channel: string
  vault: VaultClient
  tabs: TabChannel
  events: Emitter<SessionEvents>
  /** What the dialog drives. */
  session: DialogSession
  /** Whether the session is ending: nothing more is saved or shown. */
  closing(): boolean
  expire(reason: 'idle' | 'absolute'): void
  warning(open: boolean): void
  /** The idle view changed (`session.idle` listeners). */
  changed(): void
}

/** One signed-in tab's idle clock and everything it talks to. */
export class IdleHosting {
  readonly controller: IdleController
  readonly #ctx: IdleHostContext
  readonly #detach: (() => void)[] = []
  /** The idle clock's time base: elapsed time, whatever the wall clock does (see `idle-clock.ts`). */
  readonly #clock = new SteadyClock()
  #unsaved: IdleSnapshot | undefined
  #wakeAt: number | undefined

  constructor(ctx: IdleHostContext, start: IdleSnapshot) {
    this.#ctx = ctx
    if (ctx.dialog) void this.#loadDialog(ctx.dialog)
    this.controller = new IdleController(ctx.idle, this.#host(), start)
    const onActivity = () => this.controller.activity()
    this.#detach.push(listenForActivity(ctx.idle.events, onActivity))
    if (ctx.idle.frames) this.#detach.push(listenForFrameActivity(ctx.idle.events, onActivity))
    this.#persist(this.controller.snapshot)
  }

  /** A message from another tab that concerns the idle clock; `tabId` is this tab's. */
  receive(message: TabMessage, tabId: string): void {
    if (message.type === 'hello') this.#ctx.tabs.post({ type: 'state', to: message.id, idle: this.controller.snapshot })
    else if (message.type === 'state') {
      if (message.to === tabId) this.controller.merge(message.idle)
    } else this.controller.receive(message)
  }

  /** Stops the clock (the session is ending); the dialog and listeners stay until {@link detach}. */
  stop(): void {
    this.controller.stop()
  }

  detach(): void {
    this.controller.stop()
    for (const detach of this.#detach.splice(0)) detach()
  }

  #host() {
    const { vault, tabs, events, channel } = this.#ctx
    return {
      clock: this.#clock,
      schedule: (at: number | null) => {
        // A later deadline needs no new timer: the vault's earlier wake-up re-checks and re-arms.
        const armed = this.#wakeAt
        if (at !== null && armed !== undefined && armed > Date.now() && at >= armed) return
        this.#wakeAt = at ?? undefined
        vault.send('schedule', at)
      },
      keepalive: () => vault.request('keepalive'),
      persist: (snapshot: IdleSnapshot) => this.#persist(snapshot),
      post: tabs.post.bind(tabs),
      tryLock: (name: string, task: () => Promise<void>) => withLockOrWithout(`${channel}:${name}`, task),
      expire: (reason: 'idle' | 'absolute') => this.#ctx.expire(reason),
      warning: (open: boolean) => this.#ctx.warning(open),
      emit: events.emit.bind(events),
      changed: () => this.#ctx.changed(),
    }
  }

  /** Persists the latest idle snapshot through the vault; bursts of changes are written once. */
  #persist(snapshot: IdleSnapshot): void {
    const scheduled = this.#unsaved !== undefined
    this.#unsaved = snapshot
    if (scheduled) return
    setTimeout(() => {
      const newest = this.#unsaved
      this.#unsaved = undefined
      if (newest && !this.#ctx.closing()) this.#ctx.vault.send('saveIdle', newest)
    })
  }

  /**
   * The default dialog is its own module, loaded once a signed-in session has
   * an idle timeout (long before any warning): pages without a signed-in user,
   * and `dialog: false`, never download it. A warning already open is shown.
   */
  async #loadDialog(options: NormalizedDialog): Promise<void> {
    try {
      const { createDialog } = await import('./dialog/dialog.js')
      const dialog = await createDialog(this.#ctx.session, options, (locale, cause) =>
        this.#ctx.events.emit(
          'error',
          new SessionVaultError(
            'ERR_LOAD_FAILED',
            `The dialog's ${locale} texts could not be loaded; English is shown`,
            {
              cause,
            },
          ),
        ),
      )
      if (this.#ctx.closing()) return dialog.destroy()
      this.#detach.push(() => dialog.destroy())
      const warning = this.controller.warning
      if (warning) dialog.open(warning.reason, warning.deadline - Date.now())
    } catch (error) {
      const failure = new SessionVaultError('ERR_LOAD_FAILED', 'The warning dialog could not be loaded', {
        cause: error,
      })
      this.#ctx.events.emit('error', failure)
    }
  }
}
