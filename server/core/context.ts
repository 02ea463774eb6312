import type { Log } from './log.js'
import type { ResolvedOptions } from './options.js'
import type { SessionStore } from './store.js'

/** What every route handler gets. @internal */
export interface Ctx {
  request: Request
  url: URL
  now: number
  opts: ResolvedOptions
  store: SessionStore
  log: Log
  clientAddress: string | undefined
}
