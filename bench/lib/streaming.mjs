// 7. Streamed responses (issue 15): what session.fetch's streamed bodies cost
// against the same engine's direct `fetch`, in every engine: time to the
// first chunk of a slow drip, 200 concurrent small requests, a 10 MB
// download, an event stream of 1,000 events; and, in Chromium, the peak
// memory of a 100 MB download (renderer process, page and worker heaps, CDP).
import { readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  LONG_LIFETIMES,
  login,
  median,
  openHarness,
  round,
  signedInPage,
  startSession,
  summary,
  summaryRow,
  target,
} from './common.mjs'
import { measure as measureFetch } from './fetch-overhead.mjs'

export const id = 'streaming'
export const title = 'Streamed responses (drip TTFB, 200 concurrent, 10 MB, SSE; 100 MB memory in Chromium)'
/** @type {import('./common.mjs').EngineName[]} */
export const engines = ['chromium', 'firefox', 'webkit']

/** The drip's interval, ms: the server writes a chunk every this often (issue 15: a slow drip at 100 ms). */
const DRIP_EVERY_MS = 100
/** How often the memory sampler asks the page's and the worker's heaps during a download. */
const MEMORY_SAMPLE_MS = 10
/** The SSE route's interval between two events, ms. */
const SSE_EVERY_MS = 2
const MB = 1024 * 1024

/** Sizes and counts, full run and `--quick` (small N, small sizes: a smoke test of the same code). */
const SETTINGS = {
  full: { ttfb: 30, ttfbWarm: 3, concurrency: 200, rounds: 10, download: 10 * MB, downloads: 10, downloadWarm: 2 },
  quick: { ttfb: 3, ttfbWarm: 1, concurrency: 20, rounds: 2, download: 1 * MB, downloads: 2, downloadWarm: 0 },
}
const MEMORY = { full: { size: 100 * MB, runs: 3 }, quick: { size: 1 * MB, runs: 1 } }
const SSE = { full: { events: 1000, runs: 3 }, quick: { events: 50, runs: 1 } }

/**
 * In the page: time from the `fetch()` call to the first chunk read from
 * `response.body` of a slow drip (a chunk every `every` ms), both ways,
 * alternating which goes first; also when the headers arrived. The body is
 * cancelled after its first chunk (each request gets its own drip id).
 * @param {{ origin: string, token: string, n: number, warm: number, every: number, tag: string }} arg
 */
async function ttfb({ origin, token, n, warm, every, tag }) {
  let seq = 0
  /** @param {'direct' | 'vault'} arm */
  const once = async arm => {
    const url = new URL(`/test/drip?id=${tag}-${arm}-${seq++}&chunks=2&every=${every}&size=16`, origin).href
    const t0 = performance.now()
    const response =
      arm === 'direct'
        ? await fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' })
        : await window.session.fetch(url, { cache: 'no-store' })
    const headers = performance.now() - t0
    if (response.status !== 200 || !response.body) throw new Error(`drip ${arm}: ${response.status}`)
    const reader = response.body.getReader()
    const { done, value } = await reader.read()
    const first = performance.now() - t0
    if (done || !value || value.byteLength === 0) throw new Error(`drip ${arm}: no first chunk`)
    await reader.cancel()
    return { headers, first }
  }
  for (let i = 0; i < warm; i++) {
    await once('direct')
    await once('vault')
  }
  /** @type {Record<'direct' | 'vault', { headers: number[], first: number[] }>} */
  const out = { direct: { headers: [], first: [] }, vault: { headers: [], first: [] } }
  for (let i = 0; i < n; i++) {
    /** @type {('direct' | 'vault')[]} */
    const order = i % 2 ? ['direct', 'vault'] : ['vault', 'direct']
    for (const arm of order) {
      const { headers, first } = await once(arm)
      out[arm].headers.push(headers)
      out[arm].first.push(first)
    }
  }
  return out
}

/**
 * In the page: `runs` downloads of `size` bytes per arm (`.arrayBuffer()`, length checked) after `warm` pairs, alternating.
 * @param {{ origin: string, token: string, size: number, runs: number, warm: number }} arg
 */
async function download({ origin, token, size, runs, warm }) {
  const url = new URL(`/api/bytes?n=${size}`, origin).href
  /** @param {'direct' | 'vault'} arm */
  const once = async arm => {
    const response =
      arm === 'direct'
        ? await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
        : await window.session.fetch(url)
    const buffer = await response.arrayBuffer()
    if (response.status !== 200 || buffer.byteLength !== size)
      throw new Error(`download ${arm}: ${response.status} ${buffer.byteLength}`)
  }
  for (let i = 0; i < warm; i++) {
    await once('direct')
    await once('vault')
  }
  /** @type {Record<'direct' | 'vault', number[]>} */
  const out = { direct: [], vault: [] }
  for (let i = 0; i < runs; i++) {
    /** @type {('direct' | 'vault')[]} */
    const order = i % 2 ? ['direct', 'vault'] : ['vault', 'direct']
    for (const arm of order) {
      const t0 = performance.now()
      await once(arm)
      out[arm].push(performance.now() - t0)
    }
  }
  return out
}

/**
 * In the page: one event stream of `events` events per arm and run, read from
 * `response.body` and parsed by session-vault/sse's `createEventStreamParser`. Each event's delay is the page's clock when the chunk that
 * completed it was read, minus the server's stamp `t` (one machine, one clock:
 * both are `performance.timeOrigin + performance.now()`). Alternating arms.
 * @param {{ origin: string, token: string, events: number, every: number, runs: number }} arg
 */
async function sse({ origin, token, events, every, runs }) {
  const url = new URL(`/test/sse?n=${events}&every=${every}`, origin).href
  // Both arms parse with session-vault/sse's own parser (the built file the app would load).
  const { createEventStreamParser } = await import(new URL('/assets/sse.js', origin).href)
  /** @param {'direct' | 'vault'} arm */
  const once = async arm => {
    const response =
      arm === 'direct'
        ? await fetch(url, {
            headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
            cache: 'no-store',
          })
        : await window.session.fetch(url, { headers: { Accept: 'text/event-stream' }, cache: 'no-store' })
    if (response.status !== 200 || !response.body) throw new Error(`sse ${arm}: ${response.status}`)
    const reader = response.body.getReader()
    /** @type {number[]} */
    const ids = []
    /** @type {number[]} */
    const delays = []
    let now = 0
    const parser = createEventStreamParser((/** @type {{ data: string }} */ { data }) => {
      const event = JSON.parse(data)
      ids.push(event.i)
      delays.push(now - event.t)
    })
    for (;;) {
      const { done, value } = await reader.read()
      now = performance.timeOrigin + performance.now()
      if (done) break
      parser.feed(value)
    }
    return { ids, delays }
  }
  /** @type {Record<'direct' | 'vault', { ids: number[], delays: number[] }[]>} */
  const out = { direct: [], vault: [] }
  for (let i = 0; i < runs; i++) {
    /** @type {('direct' | 'vault')[]} */
    const order = i % 2 ? ['direct', 'vault'] : ['vault', 'direct']
    for (const arm of order) out[arm].push(await once(arm))
  }
  return out
}

/**
 * In the page: one download of `size` bytes, read as a stream (chunks counted
 * and dropped, as a progress bar would) or whole (`.arrayBuffer()`, kept until
 * the end of the call). Resolves the bytes read.
 * @param {{ url: string, token: string, arm: 'direct' | 'vault', mode: 'stream' | 'arrayBuffer', size: number }} arg
 */
async function bigDownload({ url, token, arm, mode, size }) {
  const response =
    arm === 'direct'
      ? await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
      : await window.session.fetch(url)
  let length = 0
  if (mode === 'arrayBuffer') length = (await response.arrayBuffer()).byteLength
  else {
    if (!response.body) throw new Error('no body')
    const reader = response.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      length += value.byteLength
    }
  }
  if (response.status !== 200 || length !== size) throw new Error(`${arm} ${mode}: ${response.status} ${length}`)
  return length
}

// ---- memory (Chromium, CDP) -------------------------------------------------

/** @typedef {import('@playwright/test').CDPSession} CDPSession */
/** @typedef {{ usedSize: number, totalSize: number, embedderHeapUsedSize: number, backingStorageSize: number }} HeapUsage */

/** What an isolate holds: its JS heap, its embedder (Blink) heap, its ArrayBuffers' backing stores. */
const heldBy = /** @param {HeapUsage} h */ h => h.usedSize + h.embedderHeapUsedSize + h.backingStorageSize

/**
 * The page's dedicated worker (the vault) over the page's CDP session, in
 * non-flat mode (Playwright's CDPSession has no child sessions): `send`
 * a command to the worker, resolve its result.
 * @param {CDPSession} cdp
 */
async function attachWorker(cdp) {
  /** @type {Map<number, (message: { result?: unknown, error?: { message: string } }) => void>} */
  const waiting = new Map()
  let next = 0
  /** @type {Promise<string>} */
  const attached = new Promise(resolve =>
    cdp.on('Target.attachedToTarget', event => {
      if (event.targetInfo.type === 'worker') resolve(event.sessionId)
    }),
  )
  cdp.on('Target.receivedMessageFromTarget', event => {
    const message = JSON.parse(event.message)
    if (typeof message.id === 'number') waiting.get(message.id)?.(message)
  })
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
  const sessionId = await Promise.race([
    attached,
    sleep(5000).then(() => {
      throw new Error('bench: no worker target to attach to')
    }),
  ])
  /**
   * @param {string} method
   * @returns {Promise<any>}
   */
  const send = method =>
    new Promise((resolve, reject) => {
      const messageId = ++next
      waiting.set(messageId, message => {
        waiting.delete(messageId)
        if (message.error) reject(new Error(`worker ${method}: ${message.error.message}`))
        else resolve(message.result)
      })
      cdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: messageId, method }) })
        .catch(reject)
    })
  return { send }
}

/**
 * Resident memory of a process from /proc: `VmRSS` now and `VmHWM` (its peak since the last reset), bytes.
 * @param {number} pid
 */
function residentOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /** @param {string} key */ key =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
  } catch {
    return null
  }
}

/**
 * Resets the peak resident size (`VmHWM`) of a process (`clear_refs` 5, Linux).
 * @param {number} pid
 */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/**
 * One 100 MB download in a fresh context (so a fresh renderer process), with
 * the vault's body limit raised above the size. Before it, both isolates are
 * collected and every renderer's peak RSS reset; during it, the page's and the
 * worker's heaps (JS + embedder + ArrayBuffer backing stores) are sampled
 * every {@link MEMORY_SAMPLE_MS}; after it, each renderer's peak RSS is read.
 * Growth = peak minus the value just before the download.
 * @param {import('@playwright/test').Browser} browser
 * @param {import('@playwright/test').CDPSession} browserCdp
 * @param {string} origin
 * @param {import('./common.mjs').TestRoutes} routes
 * @param {'direct' | 'vault'} arm
 * @param {'stream' | 'arrayBuffer'} mode
 * @param {number} size
 */
async function memoryRun(browser, browserCdp, origin, routes, arm, mode, size) {
  await routes.reset(LONG_LIFETIMES)
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await openHarness(page, origin)
    await startSession(page, { maxBodyBytes: 2 * size })
    await login(page)
    const { accessToken: token } = await routes.tokens()
    if (!token) throw new Error('bench: no access token')
    const cdp = await context.newCDPSession(page)
    const worker = await attachWorker(cdp)
    /** @returns {Promise<{ page: number, worker: number }>} */
    const heaps = async () => {
      const [p, w] = await Promise.all([cdp.send('Runtime.getHeapUsage'), worker.send('Runtime.getHeapUsage')])
      return { page: heldBy(p), worker: heldBy(w) }
    }
    await cdp.send('HeapProfiler.collectGarbage')
    await worker.send('HeapProfiler.collectGarbage')
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo')
    const renderers = processInfo.filter(p => p.type === 'renderer').map(p => p.id)
    const before = await heaps()
    /** @type {Map<number, number>} */
    const rssBefore = new Map()
    for (const pid of renderers) {
      const r = residentOf(pid)
      if (r && resetPeak(pid)) rssBefore.set(pid, r.rss)
    }
    let finished = false
    const peak = { page: before.page, worker: before.worker, sum: before.page + before.worker }
    let samples = 0
    const sampler = (async () => {
      while (!finished) {
        const h = await heaps().catch(() => null)
        if (h) {
          samples++
          peak.page = Math.max(peak.page, h.page)
          peak.worker = Math.max(peak.worker, h.worker)
          peak.sum = Math.max(peak.sum, h.page + h.worker)
        }
        await sleep(MEMORY_SAMPLE_MS)
      }
    })()
    const url = new URL(`/api/bytes?n=${size}`, origin).href
    const t0 = Date.now()
    try {
      await page.evaluate(bigDownload, { url, token, arm, mode, size })
    } finally {
      finished = true
      await sampler
    }
    const ms = Date.now() - t0
    // The page's renderer (the vault's worker runs in it) is the one the download grew: the others
    // (Chromium's spare renderer, the browser UI's, a closing context's) sit idle.
    const grown = [...rssBefore].map(([pid, rss]) => {
      const peakRss = residentOf(pid)?.hwm ?? rss
      return { pid, rss, peakRss, growth: peakRss - rss }
    })
    const pageRenderer = grown.reduce(
      (a, b) => (b.growth > a.growth ? b : a),
      grown[0] ?? { pid: -1, rss: 0, peakRss: 0, growth: 0 },
    )
    return {
      ms,
      samples,
      renderers: grown.length,
      rssBefore: pageRenderer.rss,
      rssPeak: pageRenderer.peakRss,
      rssGrowth: pageRenderer.growth,
      otherRenderersGrowth: grown.filter(g => g !== pageRenderer).reduce((sum, g) => sum + Math.max(0, g.growth), 0),
      heapGrowth: peak.sum - before.page - before.worker,
      pageGrowth: peak.page - before.page,
      workerGrowth: peak.worker - before.worker,
    }
  } finally {
    await context.close()
  }
}

/**
 * `runs` memory runs per arm and read mode, alternating arms.
 * @param {import('@playwright/test').Browser} browser
 * @param {string} origin
 * @param {import('./common.mjs').TestRoutes} routes
 * @param {{ size: number, runs: number }} settings
 */
async function memory(browser, origin, routes, { size, runs }) {
  const browserCdp = await browser.newBrowserCDPSession()
  try {
    /** @typedef {Awaited<ReturnType<typeof memoryRun>>} Run */
    /** @type {Record<'stream' | 'arrayBuffer', Record<'direct' | 'vault', Run[]>>} */
    const out = { stream: { direct: [], vault: [] }, arrayBuffer: { direct: [], vault: [] } }
    for (const mode of /** @type {const} */ (['stream', 'arrayBuffer'])) {
      for (let i = 0; i < runs; i++) {
        /** @type {('direct' | 'vault')[]} */
        const order = i % 2 ? ['direct', 'vault'] : ['vault', 'direct']
        for (const arm of order)
          out[mode][arm].push(await memoryRun(browser, browserCdp, origin, routes, arm, mode, size))
      }
    }
    return out
  } finally {
    await browserCdp.detach().catch(() => {})
  }
}

// ---- the benchmark ----------------------------------------------------------

/**
 * One of issue 15's figures as the JSON carries it: with its N, engine, target and whether it was met.
 * @typedef {{ figure: string, engine: string, n: number | string, value: number | boolean, unit: string, target: string, met: boolean }} Figure
 */

/** @param {import('./common.mjs').BenchEnv} env */
export async function run(env) {
  const { engine, origin, routes, quick } = env
  const s = quick ? SETTINGS.quick : SETTINGS.full
  const sseSettings = quick ? SSE.quick : SSE.full
  /** @type {import('./common.mjs').Target[]} */
  const targets = []
  /** @type {Figure[]} */
  const figures = []
  /**
   * A checked figure, in `targets` (the table) and `figures` (the JSON's issue-15 list).
   * @param {string} name
   * @param {number | string} n
   * @param {number} value
   * @param {number} limit
   * @param {string} unit
   * @param {'<=' | '>='} [op]
   */
  const check = (name, n, value, limit, unit, op = '<=') => {
    const t = target(name, value, limit, unit, op)
    targets.push(t)
    figures.push({
      figure: name,
      engine,
      n,
      value: t.value,
      unit,
      target: `${op} ${limit}${unit ? ` ${unit}` : ''}`,
      met: t.pass,
    })
  }
  const { context, page, token } = await signedInPage(env.browser, origin, routes)
  let closed = false
  try {
    // (a) time to the first chunk of a slow drip
    const drip = await page.evaluate(ttfb, {
      origin,
      token,
      n: s.ttfb,
      warm: s.ttfbWarm,
      every: DRIP_EVERY_MS,
      tag: `bench-${Date.now()}`,
    })
    const fd = summary(drip.direct.first)
    const fv = summary(drip.vault.first)
    const hd = summary(drip.direct.headers)
    const hv = summary(drip.vault.headers)
    check(`drip TTFB ratio of medians (chunk every ${DRIP_EVERY_MS} ms)`, s.ttfb, fv.median / fd.median, 1.1, 'x')
    check('drip TTFB median overhead', s.ttfb, fv.median - fd.median, 2, 'ms')

    // (b) 200 concurrent small requests: the fetch benchmark's own batches (fetch-overhead.mjs), no sequential part
    const { concurrent: con } = await page.evaluate(measureFetch, {
      url: new URL('/api/me', origin).href,
      token,
      n: 0,
      warm: 0,
      concurrency: s.concurrency,
      rounds: s.rounds,
    })
    const cd = summary(con.direct.latency)
    const cv = summary(con.vault.latency)
    const wd = summary(con.direct.wall)
    const wv = summary(con.vault.wall)
    check(
      `${s.concurrency} concurrent GET /api/me: ratio of median latencies`,
      `${s.concurrency} x ${s.rounds} batches`,
      cv.median / cd.median,
      1.2,
      'x',
    )

    // (c) a 10 MB download
    const big = await page.evaluate(download, {
      origin,
      token,
      size: s.download,
      runs: s.downloads,
      warm: s.downloadWarm,
    })
    const dd = summary(big.direct)
    const dv = summary(big.vault)
    const sizeLabel = `${s.download / MB} MB`
    check(`${sizeLabel} download ratio of medians`, s.downloads, dv.median / dd.median, 1.15, 'x')

    // (e) an event stream
    const events = await page.evaluate(sse, {
      origin,
      token,
      events: sseSettings.events,
      every: SSE_EVERY_MS,
      runs: sseSettings.runs,
    })
    const streams = [...events.direct, ...events.vault]
    // Every event of every stream (ids 0..n-1, each once), and each stream in the server's order.
    const allArrived = streams.every(
      ({ ids }) => new Set(ids).size === sseSettings.events && ids.length === sseSettings.events,
    )
    const inOrder = streams.every(({ ids }) => ids.every((i, k) => k === 0 || i > (ids[k - 1] ?? -1)))
    const sseOk = allArrived && inOrder
    const ed = summary(events.direct.flatMap(r => r.delays))
    const ev = summary(events.vault.flatMap(r => r.delays))
    const sseN = `${sseSettings.events} events x ${sseSettings.runs} streams`
    check(
      `SSE: all ${sseSettings.events} events arrived, in order (both arms, every stream)`,
      sseN,
      sseOk ? 1 : 0,
      1,
      '',
      '>=',
    )
    // In the JSON's figures, the yes/no figure as a boolean.
    const last = figures.at(-1)
    if (last) last.value = sseOk
    check('SSE median per-event delay, vault minus direct', sseN, ev.median - ed.median, 1, 'ms')

    closed = true
    await context.close()

    // (d) peak memory of a 100 MB download: Chromium only (CDP)
    const m = quick ? MEMORY.quick : MEMORY.full
    const mem = env.engine === 'chromium' ? await memory(env.browser, origin, routes, m) : null
    const memSize = `${m.size / MB} MB`
    /** @type {import('./common.mjs').Row[]} */
    const memRows = []
    /** @type {Record<string, unknown>} */
    const memRaw = {}
    if (mem) {
      for (const mode of /** @type {const} */ (['stream', 'arrayBuffer'])) {
        const grow = /** @param {'direct' | 'vault'} arm @param {'rssGrowth' | 'rssPeak' | 'heapGrowth'} key */ (
          arm,
          key,
        ) => summary(mem[mode][arm].map(r => r[key] / MB))
        const rd = grow('direct', 'rssGrowth')
        const rv = grow('vault', 'rssGrowth')
        const pd = grow('direct', 'rssPeak')
        const pv = grow('vault', 'rssPeak')
        const hDirect = grow('direct', 'heapGrowth')
        const hVault = grow('vault', 'heapGrowth')
        const how = mode === 'stream' ? 'read as a stream' : '.arrayBuffer()'
        memRows.push(
          summaryRow(`${memSize} ${how}: renderer peak RSS, direct (N=${pd.n})`, pd, 'MB'),
          summaryRow(`${memSize} ${how}: renderer peak RSS, vault (N=${pv.n})`, pv, 'MB'),
          summaryRow(`${memSize} ${how}: renderer peak RSS growth, direct (N=${rd.n})`, rd, 'MB'),
          summaryRow(`${memSize} ${how}: renderer peak RSS growth, vault (N=${rv.n})`, rv, 'MB'),
          summaryRow(`${memSize} ${how}: page + worker heaps peak growth, direct (N=${hDirect.n})`, hDirect, 'MB'),
          summaryRow(`${memSize} ${how}: page + worker heaps peak growth, vault (N=${hVault.n})`, hVault, 'MB'),
        )
        check(
          `${memSize} download ${how}: peak renderer (page + worker) memory ratio`,
          m.runs,
          pv.median / pd.median,
          1.5,
          'x',
        )
        check(
          `${memSize} download ${how}: the same, counting only the growth over the renderer's memory before`,
          m.runs,
          rv.median / rd.median,
          1.5,
          'x',
        )
        memRaw[mode] = {
          rssPeakDirect: pd,
          rssPeakVault: pv,
          rssDirect: rd,
          rssVault: rv,
          heapsDirect: hDirect,
          heapsVault: hVault,
          runs: mem[mode],
        }
      }
    }

    const headlineFigures = targets.filter(t => t.unit === 'x' || t.name.startsWith('drip TTFB median'))
    return {
      id,
      title,
      n: {
        drip: s.ttfb,
        concurrent: `${s.concurrency} x ${s.rounds} batches`,
        download: `${s.downloads} x ${sizeLabel}`,
        sse: sseN,
        memory: mem ? `${m.runs} per arm and read mode, ${memSize}` : 'Chromium only',
      },
      rows: [
        summaryRow(`drip: first chunk, direct (N=${fd.n})`, fd, 'ms'),
        summaryRow(`drip: first chunk, vault (N=${fv.n})`, fv, 'ms'),
        summaryRow(`drip: headers, direct (N=${hd.n})`, hd, 'ms'),
        summaryRow(`drip: headers, vault (N=${hv.n})`, hv, 'ms'),
        summaryRow(`concurrent ${s.concurrency}, direct (N=${cd.n})`, cd, 'ms/request'),
        summaryRow(`concurrent ${s.concurrency}, vault (N=${cv.n})`, cv, 'ms/request'),
        summaryRow(`concurrent ${s.concurrency}, batch wall time direct (N=${wd.n})`, wd, 'ms/batch'),
        summaryRow(`concurrent ${s.concurrency}, batch wall time vault (N=${wv.n})`, wv, 'ms/batch'),
        summaryRow(`${sizeLabel} download .arrayBuffer(), direct (N=${dd.n})`, dd, 'ms'),
        summaryRow(`${sizeLabel} download .arrayBuffer(), vault (N=${dv.n})`, dv, 'ms'),
        summaryRow(`SSE per-event delay, direct (N=${ed.n})`, ed, 'ms'),
        summaryRow(`SSE per-event delay, vault (N=${ev.n})`, ev, 'ms'),
        ...memRows,
      ],
      targets,
      notes: [
        `drip: GET /test/drip (a 16-byte chunk every ${DRIP_EVERY_MS} ms), from the fetch() call to the first chunk of response.body; the body is cancelled after it`,
        `SSE: GET /test/sse, an event every ${SSE_EVERY_MS} ms stamped with the server's clock; delay = the page's clock when the chunk was read minus the stamp (one machine, one clock; the comparison is vault minus direct, so a constant offset between the two clocks cancels)`,
        ...(mem
          ? [
              "memory: each run in a fresh context (a fresh renderer process), both isolates collected first; renderer = the page's renderer process (the one the download grew; the vault's worker runs in it): peak RSS = its VmHWM after the download (reset through /proc/<pid>/clear_refs just before), growth = that minus its VmRSS before; heaps = Runtime.getHeapUsage (JS + embedder + ArrayBuffer backing stores) of the page and the worker, sampled every 10 ms",
            ]
          : ['memory of the 100 MB download: Chromium only (CDP)']),
        ...(engine === 'webkit'
          ? [
              'WebKit coarsens performance.now() to 1 ms; its pages reach the server through the HTTPS proxy (both arms)',
            ]
          : []),
      ],
      headline: headlineFigures.map(t => ({ figure: `streaming: ${t.name}`, value: t.value, unit: t.unit })),
      raw: {
        figures,
        drip: { firstDirect: fd, firstVault: fv, headersDirect: hd, headersVault: hv },
        concurrent: { direct: cd, vault: cv, wallDirect: wd, wallVault: wv, ratio: round(cv.median / cd.median) },
        download: { bytes: s.download, direct: dd, vault: dv, ratio: round(median(big.vault) / median(big.direct)) },
        sse: {
          events: sseSettings.events,
          streams: sseSettings.runs,
          allArrived,
          inOrder,
          received: { direct: events.direct.map(r => r.ids.length), vault: events.vault.map(r => r.ids.length) },
          direct: ed,
          vault: ev,
        },
        ...(mem ? { memory: { bytes: m.size, ...memRaw } } : {}),
      },
    }
  } finally {
    if (!closed) await context.close()
  }
}
