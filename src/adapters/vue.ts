/**
 * `session-vault/vue`: a plugin that provides one session, and composables
 * whose refs follow it. On the server the plugin provides no session (nothing
 * touches `window`, `Worker` or storage) and the refs start `anonymous`, as
 * the first client render does, so hydration matches.
 */
import { type App, getCurrentScope, inject, onScopeDispose, type Ref, shallowRef } from 'vue'
import { createSession, type Session, type SessionInfo, type SessionOptions } from '../index.js'
import type { IdleControls } from '../types.js'
import { sessionStore } from './store.js'

const KEY = Symbol('session-vault')

const isSession = (value: unknown): value is Session =>
  typeof (value as Session | null)?.fetch === 'function' && typeof (value as Session).on === 'function'

/**
 * `app.use(sessionVault(options))` makes the session (destroyed when the app
 * unmounts); `app.use(sessionVault(session))` provides one you made.
 * @example createApp(App).use(sessionVault({ auth, idle: { timeout: '15m', warnBefore: '1m' } })).mount('#app')
 */
export function sessionVault(source: SessionOptions | Session) {
  return {
    install(app: App) {
      if (typeof window === 'undefined') return void app.provide(KEY, null)
      const owned = !isSession(source)
      const session = owned ? createSession(source) : source
      app.provide(KEY, session)
      if (owned) app.onUnmount(() => session.destroy())
    },
  }
}

/** Runs `off` when the calling component's (or effect scope's) life ends. */
function untilDisposed(off: () => void): void {
  if (getCurrentScope()) onScopeDispose(off)
}

/** The session (null on the server), and refs of its state and info. */
export function useSession(): { session: Session | null; state: Ref<Session['state']>; info: Ref<SessionInfo> } {
  const session = inject<Session | null>(KEY, null)
  const state = shallowRef<Session['state']>('anonymous')
  const info = shallowRef<SessionInfo>({ authenticated: false })
  if (session) {
    const store = sessionStore(session)
    const read = () => {
      const view = store.sessionView()
      state.value = view.state
      info.value = view.info
    }
    read()
    untilDisposed(store.subscribeSession(read))
  }
  return { session, state, info }
}

/** Refs of the idle clock (phase, and time left as of the last change) and its controls. */
export function useIdle(): {
  phase: Ref<IdleControls['phase']>
  remainingMs: Ref<number | undefined>
  extend(): Promise<void>
  pause(): void
  resume(): void
} {
  const session = inject<Session | null>(KEY, null)
  const phase = shallowRef<IdleControls['phase']>('inactive')
  const remainingMs = shallowRef<number | undefined>()
  if (session) {
    const store = sessionStore(session)
    const read = () => {
      const view = store.idleView()
      phase.value = view.phase
      remainingMs.value = view.remainingMs
    }
    read()
    untilDisposed(store.subscribeIdle(read))
  }
  return {
    phase,
    remainingMs,
    extend: () => session?.extend() ?? Promise.resolve(),
    pause: () => session?.idle.pause(),
    resume: () => session?.idle.resume(),
  }
}
