// 5. Activity cost: main-thread time of 10,000 synthetic pointer/key events
// with the SDK's listeners, with react-idle-timer's, and with none, on one page.

import { join } from 'node:path'
import { build } from 'esbuild'
import { PAGE_CSP } from '../../demo/server/http/security-headers.mjs'
import { ALICE, median, ROOT, round, summary, TOKEN_AUTH, target } from './common.mjs'

export const id = 'activity'
/** Chromium only: trusted input and main-thread script time come from CDP. */
export const engines = ['chromium']
export const title = 'Activity listener cost (pointermove + keydown)'

const EVENTS_PER_RUN = 10_000
/** Timed runs each time a library is attached (attaching costs a session start-up or a React mount). */
const RUNS_PER_ATTACH = 3
/** The SDK's default activity events, given to both libraries. */
const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>session-vault bench: activity</title>
<script type="module" src="/bench/activity.js"></script></head>
<body><h1>activity bench</h1></body>
</html>
`

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
  return result.outputFiles[0].text
}

/**
 * Serves /bench/* on the reference server's origin through page.route, with
 * the headers the server gives its own pages (strict CSP, Trusted Types).
 */
export async function routeBenchPages(context, origin, files) {
  await context.route(`${origin}bench/**`, route => {
    const path = new URL(route.request().url()).pathname.slice('/bench/'.length)
    const file = files[path]
    if (!file) return route.fulfill({ status: 404, body: 'not found' })
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

/** Sends `n` trusted input events through CDP (alternating mouseMoved and rawKeyDown), pipelined 50 at a time. */
async function sendTrusted(cdp, n, offset) {
  for (let i = 0; i < n; i += 50) {
    const batch = []
    for (let j = i; j < Math.min(n, i + 50); j++) {
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

async function scriptSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find(m => m.name === 'ScriptDuration').value
}

export async function run({ browser, origin, routes, quick }) {
  const rounds = quick ? 2 : 20
  const warm = quick ? 1 : 5
  const trustedRounds = quick ? 1 : 8
  const trustedWarm = 1
  const trustedPerRun = quick ? 400 : 2000
  await routes.reset({ accessTokenTtl: 3600, idleTimeout: 3600 })
  const script = await bundle()
  const context = await browser.newContext()
  try {
    await routeBenchPages(context, origin, {
      'activity.html': { type: 'text/html; charset=utf-8', body: PAGE },
      'activity.js': { type: 'text/javascript; charset=utf-8', body: script },
    })
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', error => errors.push(error.message))
    page.on('console', message => message.type() === 'error' && errors.push(message.text()))
    await page.goto(`${origin}bench/activity.html`)
    await page.waitForFunction(() => window.benchReady === true)
    const cdp = await context.newCDPSession(page)
    // Main-thread JavaScript time, as thread CPU time (less sensitive to other load than wall time).
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })

    const sdkOptions = { auth: TOKEN_AUTH, dialog: false, idle: { timeout: '15m', warnBefore: '1m', events: EVENTS } }
    const probe = () => page.evaluate(() => window.bench.probe())
    /** Attached and live: one trusted keydown must move what the library records. */
    const checkLive = async (name, key) => {
      const before = (await probe())[key]
      await page.evaluate(() => window.bench.sleep(5))
      await sendTrusted(cdp, 2, 1)
      const after = (await probe())[key]
      if (!(after > before)) throw new Error(`bench: ${name} did not see a trusted keydown (${before} -> ${after})`)
    }
    const modes = {
      baseline: { on: async () => {}, off: async () => {} },
      'no-op listener': {
        on: () => page.evaluate(e => window.bench.noopOn(e), EVENTS),
        off: () => page.evaluate(() => window.bench.noopOff()),
      },
      'session-vault': {
        on: async () => {
          await page.evaluate(([o, c]) => window.bench.sdkOn(o, c), [sdkOptions, ALICE])
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
    const names = Object.keys(modes)
    // Past react-idle-timer's 200 ms eventsThrottle window after the check, so every measured run starts alike.
    const settle = () => page.evaluate(() => window.bench.sleep(250))

    // A. Synthetic events in a tight loop (untrusted: dispatched by script).
    const times = Object.fromEntries(names.map(n => [n, []]))
    let sdkCountsSynthetic = null
    for (let r = 0; r < warm + rounds; r++) {
      // Rotate the order every round so no library always runs first.
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length]
        await modes[name].on()
        await settle()
        const before = name === 'session-vault' ? (await probe()).sdk : null
        for (let j = 0; j < RUNS_PER_ATTACH; j++) {
          const ms = await page.evaluate(n => window.bench.dispatch(n), EVENTS_PER_RUN)
          if (r >= warm) times[name].push(ms)
        }
        if (name === 'session-vault') sdkCountsSynthetic = (await probe()).sdk > before
        await modes[name].off()
      }
    }

    // B. Trusted input through CDP (Input.dispatchMouseEvent / dispatchKeyEvent): every library's real path.
    // Main-thread JS time from Performance.getMetrics ScriptDuration, per event actually delivered
    // (Chromium coalesces queued mouse moves); a counting listener runs in every mode, the baseline included.
    const trusted = Object.fromEntries(names.map(n => [n, []]))
    const delivered = Object.fromEntries(names.map(n => [n, []]))
    for (let r = 0; r < trustedWarm + trustedRounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length]
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

    const perEvent = ms => (ms * 1000) / EVENTS_PER_RUN // µs
    const s = Object.fromEntries(names.map(n => [n, summary(times[n])]))
    const base = median(times.baseline)
    const cost = Object.fromEntries(names.map(n => [n, perEvent(median(times[n]) - base)]))
    const t = Object.fromEntries(names.map(n => [n, summary(trusted[n])]))
    const tcost = Object.fromEntries(names.map(n => [n, median(trusted[n]) - median(trusted.baseline)]))
    const deliveredMedian = median(names.flatMap(n => delivered[n]))
    const short = {
      baseline: 'baseline',
      'no-op listener': 'no-op listener',
      'session-vault': 'session-vault',
      'react-idle-timer': 'react-idle-timer',
    }
    return {
      id,
      title,
      n: {
        synthetic: `${rounds} rounds x ${RUNS_PER_ATTACH} runs x ${EVENTS_PER_RUN} events (+${warm} warm-up rounds)`,
        trusted: `${trustedRounds} rounds x ${trustedPerRun} CDP events, ~${Math.round(deliveredMedian)} delivered (+${trustedWarm} warm-up)`,
      },
      rows: [
        ...names.map(n => ({
          figure: `A. synthetic, ${short[n]}: 10,000 events (N=${s[n].n} runs)`,
          median: s[n].median,
          p95: s[n].p95,
          unit: 'ms',
        })),
        ...names.slice(1).map(n => ({
          figure: `A. synthetic, ${short[n]}: cost per event over baseline`,
          median: round(cost[n]),
          p95: '',
          unit: 'µs/event',
        })),
        ...names.map(n => ({
          figure: `B. trusted, ${short[n]}: main-thread JS per event (N=${t[n].n} runs)`,
          median: t[n].median,
          p95: t[n].p95,
          unit: 'µs/event',
        })),
        ...names.slice(1).map(n => ({
          figure: `B. trusted, ${short[n]}: cost per event over baseline`,
          median: round(tcost[n]),
          p95: '',
          unit: 'µs/event',
        })),
      ],
      targets: [
        target(
          'A. synthetic: session-vault cost minus react-idle-timer cost',
          cost['session-vault'] - cost['react-idle-timer'],
          0,
          'µs/event',
        ),
        target(
          'B. trusted: session-vault cost minus react-idle-timer cost',
          tcost['session-vault'] - tcost['react-idle-timer'],
          0,
          'µs/event',
        ),
      ],
      notes: [
        `events: ${EVENTS.join(', ')} for both; session-vault signed in with idle on (dialog off); react-idle-timer 5.7.3 useIdleTimer with its defaults (eventsThrottle 200 ms)`,
        sdkCountsSynthetic === false
          ? 'A: session-vault ignores untrusted (script-dispatched) events, so its synthetic figure is the cost of that check; B is its real path'
          : 'A: session-vault counted the synthetic events as activity',
        'B: CDP input costs far more per event than the listeners (hit testing, coalescing); only main-thread JS time (ScriptDuration, thread CPU time) is compared',
      ],
      headline: [
        {
          figure: 'activity: session-vault minus react-idle-timer, synthetic',
          value: cost['session-vault'] - cost['react-idle-timer'],
          unit: 'µs/event',
        },
        {
          figure: 'activity: session-vault minus react-idle-timer, trusted',
          value: tcost['session-vault'] - tcost['react-idle-timer'],
          unit: 'µs/event',
        },
      ],
      raw: {
        synthetic: {
          ...s,
          costUsPerEvent: Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, round(v)])),
          sdkCountsSynthetic,
        },
        trusted: {
          ...t,
          costUsPerEvent: Object.fromEntries(Object.entries(tcost).map(([k, v]) => [k, round(v)])),
          delivered,
        },
      },
    }
  } finally {
    await context.close()
  }
}
