// Load benchmark of session-vault/server (loopback only, bounded in time and count):
// many concurrent sessions doing refresh + authenticated calls against one and
// two server processes, on the memory store and on Redis. Reports throughput
// and p50/p99 per configuration and checks that every rotation happened
// exactly once (client-counted refreshes == server-counted, no reuse detected,
// every family still alive at the end).
//   node bench/server-load.mjs [--quick]   -> bench/results/server-load.json (--quick: server-load-quick.json)
// Over 300 lines: one runnable benchmark (its processes, Redis, the load and the report) in one file.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createConnection, createServer } from 'node:net'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildServerLib } from '../e2e/server/lib/build.mjs'

/**
 * An HTTP answer, its body parsed as JSON (null when it is not JSON).
 * @template [T=unknown]
 * @typedef {{ status: number | undefined, headers: import('node:http').IncomingHttpHeaders, json: T | null }} Answer
 */
/** @typedef {{ headers?: Record<string, string>, body?: string }} CallInit */
/** What /auth/login and /auth/refresh answer (the refresh token comes as a cookie). */
/** @typedef {{ access_token: string }} TokenAnswer */
/** @typedef {Awaited<ReturnType<typeof startApp>>} App */

const QUICK = process.argv.includes('--quick')
const SESSIONS = QUICK ? 20 : 200
const CALLS_PER_REFRESH = 4
const DURATION_MS = QUICK ? 1500 : 10_000
const MAX_OPS_PER_SESSION = QUICK ? 200 : 2000
const APP = fileURLToPath(new URL('../server/test/helpers/app-process.mjs', import.meta.url))
const OUT = fileURLToPath(new URL(`./results/${QUICK ? 'server-load-quick' : 'server-load'}.json`, import.meta.url))
const agent = new Agent({ keepAlive: true, maxSockets: 512 })
/** redis-server accepting connections after it was spawned. */
const REDIS_START_MS = 5_000
/** Between two connection attempts while it starts. */
const REDIS_POLL_MS = 50

/**
 * A free TCP port on 127.0.0.1 (asked from the OS, then released).
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function startRedis() {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sv-bench-redis-'))
  const child = spawn(
    process.env.REDIS_SERVER ?? '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  )
  for (let i = 0; i < REDIS_START_MS / REDIS_POLL_MS; i++) {
    /** @type {boolean} */
    const ok = await new Promise(r => {
      const s = createConnection({ port, host: '127.0.0.1' })
      s.once('connect', () => {
        s.destroy()
        r(true)
      })
      s.once('error', () => r(false))
    })
    if (ok) break
    await new Promise(r => setTimeout(r, REDIS_POLL_MS))
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async close() {
      child.kill('SIGKILL')
      await once(child, 'exit').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * One server process (server/test/helpers/app-process.mjs) of the bundled library at `lib`.
 * @param {string} lib
 * @param {Record<string, string>} env
 */
async function startApp(lib, env) {
  const child = spawn(process.execPath, [APP], {
    env: { ...process.env, LIB: lib, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [chunk] = await once(child.stdout, 'data')
  const [first = ''] = String(chunk).split('\n')
  const { port } = /** @type {{ port: number }} */ (JSON.parse(first))
  return {
    port,
    /** Lifecycle events by name, counted by the process. */
    async counters() {
      /** @type {Answer<{ counters: Record<string, number> }>} */
      const answer = await call(port, 'GET', '/test/counters')
      return answer.json?.counters ?? {}
    },
    async close() {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/**
 * @template [T=unknown]
 * @param {number} port
 * @param {string} method
 * @param {string} path
 * @param {CallInit} [init]
 * @returns {Promise<Answer<T>>}
 */
function call(port, method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, res => {
      /** @type {Buffer[]} */
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        let json = null
        try {
          json = JSON.parse(text)
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, json })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * The refresh cookie an answer sets (`name=value`), or null.
 * @param {Answer} res
 */
const cookieOf = res =>
  (res.headers['set-cookie'] ?? []).map(l => l.split(';')[0] ?? '').find(p => p.startsWith('__Host-sv_rt=')) ?? null

/**
 * The value at rank floor(p% of n) of `sorted` (ascending), to two decimals; null when empty.
 * @param {readonly number[]} sorted
 * @param {number} p
 */
function percentile(sorted, p) {
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
  return value === undefined ? null : +value.toFixed(2)
}

/**
 * One configuration: `apps`, the processes; `spread`: each request to the next process (else each session sticks to one).
 * @param {string} name
 * @param {App[]} apps
 * @param {boolean} spread
 */
async function run(name, apps, spread) {
  const ports = apps.map(a => a.port)
  /** @type {{ refresh: number[], api: number[], login: number[] }} */
  const lat = { refresh: [], api: [], login: [] }
  let refreshes = 0
  let errors = 0
  let requests = 0
  let turn = 0
  /**
   * The port session `i`'s next request goes to.
   * @param {number} i
   */
  const portFor = i => {
    const port = spread ? ports[turn++ % ports.length] : ports[i % ports.length]
    if (port === undefined) throw new Error(`${name}: no server process`)
    return port
  }
  /**
   * `call`, timed into `lat[kind]`.
   * @param {keyof typeof lat} kind
   * @param {number} port
   * @param {string} method
   * @param {string} path
   * @param {CallInit} init
   * @returns {Promise<Answer<TokenAnswer>>}
   */
  const timed = async (kind, port, method, path, init) => {
    const t = performance.now()
    /** @type {Answer<TokenAnswer>} */
    const res = await call(port, method, path, init)
    lat[kind].push(performance.now() - t)
    requests++
    return res
  }
  /** @type {{ access: string, cookie: string }[]} */
  const sessions = []
  for (let start = 0; start < SESSIONS; start += 50) {
    const batch = Array.from({ length: Math.min(50, SESSIONS - start) }, async (_, j) => {
      const i = start + j
      const res = await timed('login', portFor(i), 'POST', '/auth/login', {
        headers: { 'Session-Vault': '1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: `user${i}`, password: `pw-${i}` }),
      })
      const cookie = cookieOf(res)
      if (res.status !== 200 || !res.json || !cookie) throw new Error(`${name}: login ${res.status}`)
      sessions[i] = { access: res.json.access_token, cookie }
    })
    await Promise.all(batch)
  }
  const deadline = performance.now() + DURATION_MS
  const started = performance.now()
  await Promise.all(
    sessions.map(async (s, i) => {
      for (let op = 0; op < MAX_OPS_PER_SESSION && performance.now() < deadline; op++) {
        if (op % (CALLS_PER_REFRESH + 1) === 0) {
          const res = await timed('refresh', portFor(i), 'POST', '/auth/refresh', {
            headers: { 'Session-Vault': '1', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: s.cookie },
            body: 'grant_type=refresh_token',
          })
          const cookie = cookieOf(res)
          if (res.status !== 200 || !res.json || !cookie) {
            errors++
            return
          }
          refreshes++
          s.access = res.json.access_token
          s.cookie = cookie
        } else {
          const res = await timed('api', portFor(i), 'GET', '/api/me', {
            headers: { Authorization: `Bearer ${s.access}` },
          })
          if (res.status !== 200) errors++
        }
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  // Every family still rotates exactly once more.
  let alive = 0
  for (const [i, s] of sessions.entries()) {
    const res = await call(portFor(i), 'POST', '/auth/refresh', {
      headers: { 'Session-Vault': '1', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: s.cookie },
      body: 'grant_type=refresh_token',
    })
    if (res.status === 200) alive++
  }
  /** @type {Record<string, number>} */
  const totals = {}
  for (const app of apps) for (const [k, v] of Object.entries(await app.counters())) totals[k] = (totals[k] ?? 0) + v
  const serverRefreshes = (totals.refresh ?? 0) - alive
  /** @param {readonly number[]} a */
  const sort = a => a.slice().sort((x, y) => x - y)
  const result = {
    name,
    processes: apps.length,
    routing: spread ? 'round-robin' : 'sticky',
    sessions: SESSIONS,
    seconds: +elapsed.toFixed(2),
    requests,
    throughputRps: Math.round((lat.refresh.length + lat.api.length) / elapsed),
    refreshP50Ms: percentile(sort(lat.refresh), 50),
    refreshP99Ms: percentile(sort(lat.refresh), 99),
    apiP50Ms: percentile(sort(lat.api), 50),
    apiP99Ms: percentile(sort(lat.api), 99),
    loginP50Ms: percentile(sort(lat.login), 50),
    errors,
    clientRefreshes: refreshes,
    serverRefreshes,
    reuseDetected: totals.reuse_detected ?? 0,
    familiesAlive: alive,
    exactlyOnce:
      errors === 0 && serverRefreshes === refreshes && (totals.reuse_detected ?? 0) === 0 && alive === SESSIONS,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  return result
}

const lib = await buildServerLib()
/** @type {Awaited<ReturnType<typeof run>>[]} */
const results = []
/** @type {[name: string, processes: number, useRedis: boolean, spread: boolean][]} */
const configs = [
  ['memory x1', 1, false, false],
  ['memory x2 (sticky)', 2, false, false],
  ['redis x1', 1, true, false],
  ['redis x2 (round-robin)', 2, true, true],
]
/** @type {Awaited<ReturnType<typeof startRedis>> | null} */
let redis = null
try {
  for (const [name, n, useRedis, spread] of configs) {
    /** @type {Record<string, string>} */
    const env = {}
    if (useRedis) {
      redis ??= await startRedis()
      env.REDIS_URL = redis.url
    }
    const apps = await Promise.all(Array.from({ length: n }, () => startApp(lib, env)))
    try {
      results.push(await run(name, apps, spread))
    } finally {
      await Promise.all(apps.map(a => a.close()))
    }
  }
} finally {
  await redis?.close()
  agent.destroy()
}
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  platform: process.platform,
}
const report = { date: new Date().toISOString(), quick: QUICK, machine, callsPerRefresh: CALLS_PER_REFRESH, results }
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`)
const ok = results.every(r => r.exactlyOnce)
process.stdout.write(`${ok ? 'ok' : 'FAILED'}: every rotation exactly once = ${ok}; wrote ${OUT}\n`)
process.exit(ok ? 0 : 1)
