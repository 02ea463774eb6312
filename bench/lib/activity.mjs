// 5. Activity cost: main-thread time of 10,000 synthetic pointer/key events
// with the SDK's listeners, with react-idle-timer's, and with none, on one page.
// Over 300 lines: three libraries measured the same way, with their page setups side by side.

import { join } from 'node:path'
import { build } from 'esbuild'
import { PAGE_CSP } from '../../demo/server/http/security-headers.mjs'
import { ALICE, LONG_LIFETIMES, median, ROOT, round, summary, summaryRow, TOKEN_AUTH, target } from './common.mjs'

/** @typedef {import('@playwright/test').CDPSession} CDPSession */
/** @typedef {import('./common.mjs').Summary} Summary */
/** What is attached to the page while it is measured: nothing, the control, or one of the libraries. */
/** @typedef {'baseline' | 'no-op listener' | 'session-vault' | 'react-idle-timer'} Mode */

export const id = 'activity'
/**
 * Chromium only: trusted input and main-thread script time come from CDP.
 * @type {import('./common.mjs').EngineName[]}
 */
export const engines = ['chromium']
export const title = 'Activity listener cost (pointermove + keydown)'

const EVENTS_PER_RUN = 10_000
/** Timed runs each time a library is attached (attaching costs a session start-up or a React mount). */
const RUNS_PER_ATTACH = 3
/** Trusted input events sent through CDP before waiting for their answers. */
const CDP_BATCH = 50
/** The SDK's default activity events, given to both libraries. */
const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']
/** @type {readonly Mode[]} */
const MODES = ['baseline', 'no-op listener', 'session-vault', 'react-idle-timer']

/** Before the liveness check's keydown: so it lands on a later millisecond than the last activity a library recorded. */
const CLOCK_TICK_MS = 5
/** After attaching and checking a library: past react-idle-timer's 200 ms eventsThrottle window, so every measured run starts alike. */
const THROTTLE_SETTLE_MS = 250

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>session-vault bench: activity</title>
<script type="module" src="/bench/activity.js"></script></head>
<body><h1>activity bench</h1></body>
</html>
`

/**
 * One value per mode, in the order of MODES.
 * @template T
 * @param {(mode: Mode) => T} make
 * @returns {Record<Mode, T>}
 */
function perMode(make) {
  return {
    baseline: make('baseline'),
    'no-op listener': make('no-op listener'),
    'session-vault': make('session-vault'),
    'react-idle-timer': make('react-idle-timer'),
  }
}

/**
 * The modes in round `r`'s order: rotated every round so no library always runs first.
 * @param {number} r
 */
function rotated(r) {
  const k = r % MODES.length
  return [...MODES.slice(k), ...MODES.slice(0, k)]
}

/**
 * Whether what a library recorded moved on (a later time), from `before` to `after`.
 * @param {number | null} before
 * @param {number | null} after
 */
const movedOn = (before, after) => after !== null && (before === null || after > before)

/** The bench page's script: bench/pages/activity.js with React and react-idle-timer bundled in, the SDK left to /assets. */
async function bundle() {
  const result = await build({
    entryPoints: [join(ROOT, 'bench', 'pages', 'activity.js')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    external: ['/assets/*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error('bench: esbuild wrote no bundle of bench/pages/activity.js')
  return file.text
}

/**
 * Serves /bench/* on the reference server's origin through page.route, with
 * the headers the server gives its own pages (strict CSP, Trusted Types).
 * @param {import('@playwright/test').BrowserContext} context
 * @param {string} origin
 * @param {Record<string, { type: string, body: string }>} files by path below /bench/
 */
export async function routeBenchPages(context, origin, files) {
  await context.route(`${origin}bench/**`, route => {
    const path = new URL(route.request().url()).pathname.slice('/bench/'.length)
    const file = files[path]
    if (!file) return route.fulfill({ status: 404, body: 'not found' })
    /** @type {Record<string, string>} */
    const headers = {
      'Content-Type': file.type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    }
    if (file.type.startsWith('text/html'))
      Object.assign(headers, { 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' })
    return route.fulfill({ status: 200, headers, body: file.body })
  })
}

/**
 * Sends `n` trusted input events through CDP (alternating mouseMoved and rawKeyDown), pipelined CDP_BATCH at a time.
 * @param {CDPSession} cdp
 * @param {number} n
 * @param {number} offset where the pointer's path starts
 */
async function sendTrusted(cdp, n, offset) {
  for (let i = 0; i < n; i += CDP_BATCH) {
    const batch = []
    for (let j = i; j < Math.min(n, i + CDP_BATCH); j++) {
      const k = offset + j
      batch.push(
        j & 1
          ? cdp.send('Input.dispatchKeyEvent', {
              type: 'rawKeyDown',
              key: 'a',
              code: 'KeyA',
              windowsVirtualKeyCode: 65,
            })
          : cdp.send('Input.dispatchMouseEvent', {
              type: 'mouseMoved',
              x: 1 + ((k >> 1) % 700),
              y: 1 + (((k >> 1) * 7) % 500),
            }),
      )
    }
    await Promise.all(batch)
  }
}

/**
 * Main-thread JavaScript time so far (s): CDP's ScriptDuration.
 * @param {CDPSession} cdp
 */
async function scriptSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const script = metrics.find(m => m.name === 'ScriptDuration')
  if (!script) throw new Error('bench: Performance.getMetrics has no ScriptDuration')
  return script.value
}

/** @param {import('./common.mjs').BenchEnv} env */
export async function run(env) {
  if (env.engine === 'webkit') throw new Error('bench: the activity benchmark needs Playwright (CDP)')
  const { browser, origin, routes, quick } = env
  const rounds = quick ? 2 : 20
  const warm = quick ? 1 : 5
  const trustedRounds = quick ? 1 : 8
  const trustedWarm = 1
  const trustedPerRun = quick ? 400 : 2000
  await routes.reset(LONG_LIFETIMES)
  const script = await bundle()
  const context = await browser.newContext()
  try {
    await routeBenchPages(context, origin, {
      'activity.html': { type: 'text/html; charset=utf-8', body: PAGE },
      'activity.js': { type: 'text/javascript; charset=utf-8', body: script },
    })
    const page = await context.newPage()
    /** @type {string[]} */
    const errors = []
    page.on('pageerror', error => errors.push(error.message))
    page.on('console', message => message.type() === 'error' && errors.push(message.text()))
    await page.goto(`${origin}bench/activity.html`)
    await page.waitForFunction(() => window.benchReady === true)
    const cdp = await context.newCDPSession(page)
    // Main-thread JavaScript time, as thread CPU time (less sensitive to other load than wall time).
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })

    /** @satisfies {import('session-vault').SessionOptions} */
    const sdkOptions = { auth: TOKEN_AUTH, dialog: false, idle: { timeout: '15m', warnBefore: '1m', events: EVENTS } }
    const probe = () => page.evaluate(() => window.bench.probe())
    /**
     * Attached and live: one trusted keydown must move what the library records.
     * @param {Mode} name
     * @param {'sdk' | 'rit'} key
     */
    const checkLive = async (name, key) => {
      const before = (await probe())[key]
      await page.evaluate(ms => window.bench.sleep(ms), CLOCK_TICK_MS)
      await sendTrusted(cdp, 2, 1)
      const after = (await probe())[key]
      if (!movedOn(before, after))
        throw new Error(`bench: ${name} did not see a trusted keydown (${before} -> ${after})`)
    }
    /** @type {Record<Mode, { on(): Promise<void>, off(): Promise<void> }>} */
    const modes = {
      baseline: { on: async () => {}, off: async () => {} },
      'no-op listener': {
        on: () => page.evaluate(e => window.bench.noopOn(e), EVENTS),
        off: () => page.evaluate(() => window.bench.noopOff()),
      },
      'session-vault': {
        on: async () => {
          await page.evaluate(([o, c]) => window.bench.sdkOn(o, c), /** @type {const} */ ([sdkOptions, ALICE]))
          await checkLive('session-vault', 'sdk')
        },
        off: () => page.evaluate(() => window.bench.sdkOff()),
      },
      'react-idle-timer': {
        on: async () => {
          await page.evaluate(e => window.bench.ritOn(e), EVENTS)
          await checkLive('react-idle-timer', 'rit')
        },
        off: () => page.evaluate(() => window.bench.ritOff()),
      },
    }
    const settle = () => page.evaluate(ms => window.bench.sleep(ms), THROTTLE_SETTLE_MS)

    // A. Synthetic events in a tight loop (untrusted: dispatched by script).
    const times = perMode(() => /** @type {number[]} */ ([]))
    /** @type {boolean | null} */
    let sdkCountsSynthetic = null
    for (let r = 0; r < warm + rounds; r++) {
      for (const name of rotated(r)) {
        await modes[name].on()
        await settle()
        const before = name === 'session-vault' ? (await probe()).sdk : null
        for (let j = 0; j < RUNS_PER_ATTACH; j++) {
          const ms = await page.evaluate(n => window.bench.dispatch(n), EVENTS_PER_RUN)
          if (r >= warm) times[name].push(ms)
        }
        if (name === 'session-vault') sdkCountsSynthetic = movedOn(before, (await probe()).sdk)
        await modes[name].off()
      }
    }

    // B. Trusted input through CDP (Input.dispatchMouseEvent / dispatchKeyEvent): every library's real path.
    // Main-thread JS time from Performance.getMetrics ScriptDuration, per event actually delivered
    // (Chromium coalesces queued mouse moves); a counting listener runs in every mode, the baseline included.
    const trusted = perMode(() => /** @type {number[]} */ ([]))
    const delivered = perMode(() => /** @type {number[]} */ ([]))
    for (let r = 0; r < trustedWarm + trustedRounds; r++) {
      for (const name of rotated(r)) {
        await modes[name].on()
        await settle()
        await page.evaluate(() => window.bench.countOn())
        const s0 = await scriptSeconds(cdp)
        await sendTrusted(cdp, trustedPerRun, r * trustedPerRun)
        await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))))
        const s1 = await scriptSeconds(cdp)
        const count = await page.evaluate(() => window.bench.countOff())
        await modes[name].off()
        if (r >= trustedWarm) {
          trusted[name].push(((s1 - s0) * 1e6) / count)
          delivered[name].push(count)
        }
      }
    }
    if (errors.length) throw new Error(`bench: activity page errors: ${errors.join('; ')}`)

    /** @param {number} ms */
    const perEvent = ms => (ms * 1000) / EVENTS_PER_RUN // µs
    const s = perMode(n => summary(times[n]))
    const base = median(times.baseline)
    const cost = perMode(n => perEvent(median(times[n]) - base))
    const t = perMode(n => summary(trusted[n]))
    const tcost = perMode(n => median(trusted[n]) - median(trusted.baseline))
    const deliveredMedian = median(MODES.flatMap(n => delivered[n]))
    const libraries = MODES.slice(1)
    /**
     * A table line per mode but the baseline: its cost per event over the baseline.
     * @param {string} label
     * @param {Record<Mode, number>} costs
     * @returns {import('./common.mjs').Row[]}
     */
    const costRows = (label, costs) =>
      libraries.map(n => ({
        figure: `${label}, ${n}: cost per event over baseline`,
        median: round(costs[n]),
        p95: '',
        unit: 'µs/event',
      }))
    const syntheticGap = cost['session-vault'] - cost['react-idle-timer']
    const trustedGap = tcost['session-vault'] - tcost['react-idle-timer']
    return {
      id,
      title,
      n: {
        synthetic: `${rounds} rounds x ${RUNS_PER_ATTACH} runs x ${EVENTS_PER_RUN} events (+${warm} warm-up rounds)`,
        trusted: `${trustedRounds} rounds x ${trustedPerRun} CDP events, ~${Math.round(deliveredMedian)} delivered (+${trustedWarm} warm-up)`,
      },
      rows: [
        ...MODES.map(n => summaryRow(`A. synthetic, ${n}: 10,000 events (N=${s[n].n} runs)`, s[n], 'ms')),
        ...costRows('A. synthetic', cost),
        ...MODES.map(n =>
          summaryRow(`B. trusted, ${n}: main-thread JS per event (N=${t[n].n} runs)`, t[n], 'µs/event'),
        ),
        ...costRows('B. trusted', tcost),
      ],
      targets: [
        target('A. synthetic: session-vault cost minus react-idle-timer cost', syntheticGap, 0, 'µs/event'),
        target('B. trusted: session-vault cost minus react-idle-timer cost', trustedGap, 0, 'µs/event'),
      ],
      notes: [
        `events: ${EVENTS.join(', ')} for both; session-vault signed in with idle on (dialog off); react-idle-timer 5.7.3 useIdleTimer with its defaults (eventsThrottle 200 ms)`,
        sdkCountsSynthetic === false
          ? 'A: session-vault ignores untrusted (script-dispatched) events, so its synthetic figure is the cost of that check; B is its real path'
          : 'A: session-vault counted the synthetic events as activity',
        'B: CDP input costs far more per event than the listeners (hit testing, coalescing); only main-thread JS time (ScriptDuration, thread CPU time) is compared',
      ],
      headline: [
        { figure: 'activity: session-vault minus react-idle-timer, synthetic', value: syntheticGap, unit: 'µs/event' },
        { figure: 'activity: session-vault minus react-idle-timer, trusted', value: trustedGap, unit: 'µs/event' },
      ],
      raw: {
        synthetic: {
          ...s,
          costUsPerEvent: perMode(n => round(cost[n])),
          sdkCountsSynthetic,
        },
        trusted: {
          ...t,
          costUsPerEvent: perMode(n => round(tcost[n])),
          delivered,
        },
      },
    }
  } finally {
    await context.close()
  }
}
