/**
 * What the framework adapters read from a session: snapshots that stay the
 * same object until something changed (as `useSyncExternalStore` and Vue's
 * refs want), and subscriptions to the events and the idle clock behind them.
 */
import type { Session, SessionInfo } from '../index.js'
import type { IdleControls } from '../types.js'

/** The events after which `state` or `info` may differ. */
const STATE_EVENTS = ['authenticated', 'warning', 'extended', 'logout', 'restoring'] as const

export interface SessionSnapshot {
  session: Session
  state: Session['state']
  info: SessionInfo
}

export interface IdleSnapshot {
  phase: IdleControls['phase']
  remainingMs: number | undefined
}

export interface SessionStore {
  subscribeSession(listener: () => void): () => void
  sessionView(): SessionSnapshot
  subscribeIdle(listener: () => void): () => void
  idleView(): IdleSnapshot
}

const stores = new WeakMap<Session, SessionStore>()

/** The one store of a session (made on first use). */
export function sessionStore(session: Session): SessionStore {
  let store = stores.get(session)
  if (!store) stores.set(session, (store = makeStore(session)))
  return store
}

function makeStore(session: Session): SessionStore {
  let sessionSnap: SessionSnapshot | undefined
  let idleSnap: IdleSnapshot | undefined
  const readSession = (): SessionSnapshot => {
    const { state, info } = session
    if (sessionSnap?.state === state && JSON.stringify(sessionSnap.info) === JSON.stringify(info)) return sessionSnap
    return (sessionSnap = { session, state, info })
  }
  const readIdle = (): IdleSnapshot => {
    const { phase, remainingMs } = session.idle
    if (idleSnap?.phase === phase && idleSnap.remainingMs === remainingMs) return idleSnap
    return (idleSnap = { phase, remainingMs })
  }
  return {
    subscribeSession(listener) {
      // Every subscriber hears every change: the snapshot is shared, so "changed since I last looked"
      // is the framework's to tell (React and Vue compare the snapshot they hold).
      const changed = () => {
        readSession()
        listener()
      }
      // A pause or an update can close the warning without an event: the idle clock's changes count too.
      const offs = [...STATE_EVENTS.map(name => session.on(name, changed)), session.idle.subscribe(changed)]
      return () => {
        for (const off of offs) off()
      }
    },
    sessionView: readSession,
    subscribeIdle(listener) {
      return session.idle.subscribe(() => {
        readIdle()
        listener()
      })
    },
    idleView: () => idleSnap ?? readIdle(),
  }
}
