// 1. Vault fetch overhead: the same small authenticated JSON request, `fetch`
// straight from the page (bearer header set by hand) against `session.fetch`.
import { round, signedInPage, summary, target } from './common.mjs'

export const id = 'fetch'
export const title = 'Vault fetch overhead (GET /api/me, small JSON)'
export const engines = ['chromium', 'firefox', 'webkit']

/**
 * In the page: `warm` rounds of both, then `n` requests of each, alternating
 * which one goes first so drift and noise hit both sides alike.
 */
async function sequential({ url, token, n, warm }) {
  const direct = async () => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
    if (response.status !== 200) throw new Error(`direct fetch: ${response.status}`)
    await response.json()
  }
  const vault = async () => {
    const response = await window.session.fetch(url)
    if (response.status !== 200) throw new Error(`session.fetch: ${response.status}`)
    await response.json()
  }
  for (let i = 0; i < warm; i++) {
    await direct()
    await vault()
  }
  const times = { direct: [], vault: [] }
  const timed = async (name, fn) => {
    const t0 = performance.now()
    await fn()
    times[name].push(performance.now() - t0)
  }
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      await timed('direct', direct)
      await timed('vault', vault)
    } else {
      await timed('vault', vault)
      await timed('direct', direct)
    }
  }
  return times
}

/** In the page: `rounds` batches of `n` requests started together, per arm; latency of each request and wall time of each batch. */
async function concurrent({ url, token, n, rounds }) {
  const arms = {
    direct: async () => {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
      if (response.status !== 200) throw new Error(`direct fetch: ${response.status}`)
      await response.json()
    },
    vault: async () => {
      const response = await window.session.fetch(url)
      if (response.status !== 200) throw new Error(`session.fetch: ${response.status}`)
      await response.json()
    },
  }
  const out = { direct: { latency: [], wall: [] }, vault: { latency: [], wall: [] } }
  const batch = async name => {
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: n }, async () => {
        const start = performance.now()
        await arms[name]()
        out[name].latency.push(performance.now() - start)
      }),
    )
    out[name].wall.push(performance.now() - t0)
  }
  await batch('direct') // warm-up of both, not recorded
  await batch('vault')
  out.direct = { latency: [], wall: [] }
  out.vault = { latency: [], wall: [] }
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      await batch('direct')
      await batch('vault')
    } else {
      await batch('vault')
      await batch('direct')
    }
  }
  return out
}

export async function run({ engine, browser, origin, routes, quick }) {
  const n = quick ? 50 : 1000
  const warm = quick ? 10 : 200
  const concurrency = quick ? 20 : 200
  const rounds = quick ? 2 : 10
  const { context, page, token } = await signedInPage(browser, origin, routes)
  try {
    const url = new URL('/api/me', origin).href

    const seq = await page.evaluate(sequential, { url, token, n, warm })
    const con = await page.evaluate(concurrent, { url, token, n: concurrency, rounds })

    const sd = summary(seq.direct)
    const sv = summary(seq.vault)
    const cd = summary(con.direct.latency)
    const cv = summary(con.vault.latency)
    const wd = summary(con.direct.wall)
    const wv = summary(con.vault.wall)
    const seqOverhead = sv.median - sd.median
    const seqRatio = sv.median / sd.median
    const conRatio = cv.median / cd.median
    // Throughput cost: extra wall time of a batch, per request.
    const conOverhead = (wv.median - wd.median) / concurrency
    return {
      id,
      title,
      n: { sequential: n, concurrent: `${concurrency} x ${rounds} batches`, warmup: warm },
      rows: [
        { figure: `sequential, straight fetch (N=${n})`, median: sd.median, p95: sd.p95, unit: 'ms/request' },
        { figure: `sequential, session.fetch (N=${n})`, median: sv.median, p95: sv.p95, unit: 'ms/request' },
        {
          figure: `concurrent ${concurrency}, straight fetch (N=${cd.n})`,
          median: cd.median,
          p95: cd.p95,
          unit: 'ms/request',
        },
        {
          figure: `concurrent ${concurrency}, session.fetch (N=${cv.n})`,
          median: cv.median,
          p95: cv.p95,
          unit: 'ms/request',
        },
        {
          figure: `concurrent ${concurrency}, batch wall time straight (N=${rounds})`,
          median: wd.median,
          p95: wd.p95,
          unit: 'ms/batch',
        },
        {
          figure: `concurrent ${concurrency}, batch wall time vault (N=${rounds})`,
          median: wv.median,
          p95: wv.p95,
          unit: 'ms/batch',
        },
      ],
      targets: [
        target('sequential median overhead', seqOverhead, 0.3, 'ms'),
        target('sequential ratio of medians', seqRatio, 1.2, 'x'),
        target('concurrent ratio of median latencies', conRatio, 1.2, 'x'),
        target('concurrent overhead per request (batch wall time)', conOverhead, 0.3, 'ms'),
      ],
      headline: [
        { figure: 'fetch: sequential ratio of medians (vault / direct)', value: seqRatio, unit: 'x' },
        { figure: 'fetch: sequential median overhead', value: seqOverhead, unit: 'ms' },
        { figure: 'fetch: direct fetch median (sequential)', value: sd.median, unit: 'ms' },
        { figure: `fetch: concurrent ${concurrency} ratio of median latencies`, value: conRatio, unit: 'x' },
        { figure: `fetch: concurrent ${concurrency} overhead per request (wall)`, value: conOverhead, unit: 'ms' },
      ],
      notes:
        engine === 'webkit'
          ? [
              `WebKit coarsens performance.now() to 1 ms, so its medians are whole milliseconds; ratio of means (sequential): ${round(sv.mean / sd.mean)} x, mean overhead ${round(sv.mean - sd.mean)} ms`,
              'WebKit pages reach the server through the HTTPS proxy (WebKit keeps no Secure cookie on http loopback): both arms pay that hop',
            ]
          : [],
      raw: {
        sequential: { direct: sd, vault: sv, overheadMs: round(seqOverhead), ratio: round(seqRatio) },
        concurrent: {
          direct: cd,
          vault: cv,
          wallDirect: wd,
          wallVault: wv,
          ratio: round(conRatio),
          overheadPerRequestMs: round(conOverhead),
        },
      },
    }
  } finally {
    await context.close()
  }
}
