// Bench page for the activity benchmark: the SDK (loaded as shipped, from
// /assets) and react-idle-timer's useIdleTimer in a minimal React component,
// attached one at a time to the same page. Bundled by bench/lib/activity.mjs
// with esbuild (React in production mode); served through page.route under
// the reference server's strict CSP.

import { createElement } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { useIdleTimer } from 'react-idle-timer'
import { createSession } from '/assets/session-vault.js'

/** react-idle-timer's timeout and prompt: the SDK's `idle: { timeout: '15m', warnBefore: '1m' }` (bench/lib/activity.mjs). */
const IDLE_TIMEOUT_MS = 15 * 60_000
const PROMPT_BEFORE_IDLE_MS = 60_000
/** After the first render: React runs the passive effects (useIdleTimer attaches its listeners in one). */
const PASSIVE_EFFECTS_MS = 20

let session = null
let root = null
let timer = null

function IdleTimer({ events }) {
  // The same events as the SDK, and the same timeout and prompt; otherwise defaults (eventsThrottle 200 ms, crossTab off).
  timer = useIdleTimer({ timeout: IDLE_TIMEOUT_MS, promptBeforeIdle: PROMPT_BEFORE_IDLE_MS, events })
  return null
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Dispatches `n` synthetic events on document, alternating a pointermove (new coordinates each time) and a keydown; returns the main-thread time in ms. */
function dispatch(n) {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    if (i & 1) {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', code: 'KeyA', bubbles: true, cancelable: true }))
    } else {
      const x = (i >> 1) % 1000
      const y = (i >> 1) % 700
      document.dispatchEvent(
        new PointerEvent('pointermove', {
          clientX: x,
          clientY: y,
          screenX: x + 10,
          screenY: y + 20,
          pointerType: 'mouse',
          bubbles: true,
          cancelable: true,
        }),
      )
    }
  }
  return performance.now() - t0
}

window.bench = {
  dispatch,

  /** A signed-in session with idle on (restored through the refresh cookie, or signed in with `credentials`). */
  async sdkOn(options, credentials) {
    session = createSession(options)
    await session.ready
    if (session.state === 'anonymous') await session.login(credentials)
    if (session.state !== 'authenticated') throw new Error(`session is ${session.state}`)
  },

  sdkOff() {
    session.destroy()
    session = null
  },

  async ritOn(events) {
    const container = document.createElement('div')
    document.body.append(container)
    root = createRoot(container)
    flushSync(() => root.render(createElement(IdleTimer, { events })))
    await sleep(PASSIVE_EFFECTS_MS)
    if (!timer) throw new Error('useIdleTimer did not run')
  },

  /** What each library last saw: the SDK's idle deadline, react-idle-timer's last active time (ms). */
  probe() {
    return { sdk: session?.info.idleDeadline ?? null, rit: timer?.getLastActiveTime()?.getTime() ?? null }
  },

  /** Counts trusted pointermove/keydown events (used in the trusted-input runs, in every mode alike). */
  countOn() {
    window.benchCount = 0
    const count = event => {
      if (event.isTrusted) window.benchCount++
    }
    const options = { capture: true, passive: true }
    for (const name of ['pointermove', 'keydown']) addEventListener(name, count, options)
    window.benchCountOff = () => {
      for (const name of ['pointermove', 'keydown']) removeEventListener(name, count, options)
      return window.benchCount
    }
  },

  countOff() {
    return window.benchCountOff()
  },

  sleep,

  /** The control: a no-op passive capture listener per event, the least any library can cost. */
  noopOn(events) {
    const noop = () => {}
    const options = { capture: true, passive: true }
    for (const name of events) addEventListener(name, noop, options)
    window.benchNoopOff = () => {
      for (const name of events) removeEventListener(name, noop, options)
    }
  },

  noopOff() {
    window.benchNoopOff()
  },

  ritOff() {
    root.unmount()
    root = null
    timer = null
  },
}
window.benchReady = true
