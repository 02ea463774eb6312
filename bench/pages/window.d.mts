// The globals the benchmarks put on `window`, on top of the e2e harness's own
// (e2e/support/window.d.ts): the activity page's API (bench/pages/activity.js)
// and the scratch values benchmarks leave in a page between two calls.

/** A library's test credentials, as the harness signs in with them. */
export interface Credentials {
  username: string
  password: string
}

/** The activity page's API (bench/pages/activity.js): one library attached at a time. */
export interface ActivityBench {
  /** Dispatches `n` synthetic events on document (pointermove and keydown, alternating); the main-thread time in ms. */
  dispatch(n: number): number
  /** A signed-in session with idle on (restored through the refresh cookie, or signed in with `credentials`). */
  sdkOn(options: unknown, credentials: Credentials): Promise<void>
  sdkOff(): void
  /** react-idle-timer's useIdleTimer, listening to `events`, in a minimal React component. */
  ritOn(events: string[]): Promise<void>
  ritOff(): void
  /** What each library last saw: the SDK's idle deadline, react-idle-timer's last active time (ms). */
  probe(): { sdk: number | null; rit: number | null }
  /** Counts trusted pointermove/keydown events until `countOff()`, which returns the count. */
  countOn(): void
  countOff(): number
  sleep(ms: number): Promise<void>
  /** The control: a no-op passive capture listener per event. */
  noopOn(events: string[]): void
  noopOff(): void
}

declare global {
  interface Window {
    bench: ActivityBench
    benchReady?: boolean
    // activity.js's own scratch
    benchCount?: number
    benchCountOff?: () => number
    benchNoopOff?: () => void
    /** cross-tab-logout.mjs: the initiating tab's `logout()`, left running while the other tabs are watched. */
    benchLogout?: Promise<void>
  }
}
