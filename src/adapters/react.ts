/**
 * `session-vault/react`: a provider, hooks and a warning slot over one
 * session. State comes through `useSyncExternalStore` (no tearing); the
 * provider makes its session in an effect, so server rendering never touches
 * `window`, `Worker` or storage and hydration starts from the same
 * `anonymous` state; a StrictMode remount keeps the one vault it made.
 */
import {
  createContext,
  createElement,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react'
import { createSession, type IdleControls, type Session, type SessionInfo, type SessionOptions } from '../index.js'
import { sessionStore } from './store.js'

const SessionContext = createContext<Session | null>(null)

export interface SessionProviderProps {
  /** A session you made (`createSession`); the provider never destroys it. */
  session?: Session
  /** Or the options: the provider makes the session after mount and destroys it on unmount. */
  options?: SessionOptions
  children?: ReactNode
}

/**
 * Makes one session available to `useSession` and `useIdle` below it.
 * @example createElement(SessionProvider, { options }, createElement(App))
 */
export function SessionProvider({ session, options, children }: SessionProviderProps) {
  const [own, setOwn] = useState<Session | null>(null)
  useEffect(() => {
    if (session || !options) return
    const made = adopt(options)
    setOwn(made.session)
    return () => made.release()
  }, [session, options])
  return createElement(SessionContext.Provider, { value: session ?? own }, children)
}

/** Sessions made by providers, kept for a tick after an unmount so StrictMode's remount finds the same one. */
const owned = new Map<SessionOptions, { session: Session; users: number; timer?: ReturnType<typeof setTimeout> }>()

function adopt(options: SessionOptions) {
  let entry = owned.get(options)
  if (!entry) owned.set(options, (entry = { session: createSession(options), users: 0 }))
  clearTimeout(entry.timer)
  entry.users++
  const held = entry
  return {
    session: held.session,
    release() {
      if (--held.users > 0) return
      held.timer = setTimeout(() => {
        if (held.users > 0) return
        owned.delete(options)
        held.session.destroy()
      })
    },
  }
}

export interface SessionView {
  /** Null until the provider's session exists (on the server, and in the first client render). */
  session: Session | null
  state: Session['state']
  info: SessionInfo
}

const ANONYMOUS: SessionView = { session: null, state: 'anonymous', info: { authenticated: false } }

/** The session, its state and info; re-renders on every change of them. */
export function useSession(): SessionView {
  const session = useContext(SessionContext)
  const store = session ? sessionStore(session) : null
  return useSyncExternalStore(
    store ? store.subscribeSession : noSubscribe,
    () => store?.sessionView() ?? ANONYMOUS,
    () => ANONYMOUS,
  )
}

export interface IdleView {
  phase: IdleControls['phase']
  /** Milliseconds left, as of the last change (once a second during a warning). */
  remainingMs: number | undefined
  extend(): Promise<void>
  pause(): void
  resume(): void
}

const INACTIVE = { phase: 'inactive', remainingMs: undefined } as const

/** The idle clock for a custom countdown: re-renders on phase and deadline changes, and each second of a warning. */
export function useIdle(): IdleView {
  const session = useContext(SessionContext)
  const store = session ? sessionStore(session) : null
  const idle = useSyncExternalStore(
    store ? store.subscribeIdle : noSubscribe,
    () => store?.idleView() ?? INACTIVE,
    () => INACTIVE,
  )
  return {
    ...idle,
    extend: () => session?.extend() ?? Promise.resolve(),
    pause: () => session?.idle.pause(),
    resume: () => session?.idle.resume(),
  }
}

export interface SessionDialogProps {
  /** Your warning, in your design system; rendered only while the idle warning is open. */
  render(idle: IdleView & { logout(): Promise<void> }): ReactNode
}

/**
 * The SDK keeps the timing, you draw the warning: `render` runs while the
 * warning is open (create the session with `dialog: false`).
 */
export function SessionDialog({ render }: SessionDialogProps) {
  const session = useContext(SessionContext)
  const idle = useIdle()
  if (!session || idle.phase !== 'warning') return null
  return render({ ...idle, logout: () => session.logout() })
}

const noSubscribe = () => () => {}
