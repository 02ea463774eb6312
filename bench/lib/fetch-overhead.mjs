// 1. Vault fetch overhead: the same small authenticated JSON request, `fetch`
// straight from the page (bearer header set by hand) against `session.fetch`.
import { round, signedInPage, summary, summaryRow, target } from './common.mjs'

export const id = 'fetch'
export const title = 'Vault fetch overhead (GET /api/me, small JSON)'
/** @type {import('./common.mjs').EngineName[]} */
export const engines = ['chromium', 'firefox', 'webkit']

/**
 * In the page, the same request both ways (`direct`: fetch with the bearer
 * header set by hand; `vault`: session.fetch). Sequential: `warm` rounds of
 * both, then `n` requests of each, alternating which one goes first so drift
 * and noise hit both sides alike. Concurrent: `rounds` batches of
 * `concurrency` requests started together, per arm (after one batch of each,
 * not recorded); latency of each request and wall time of each batch.
 * Also used by streaming.mjs for its 200 concurrent requests (`n: 0`: batches only).
 * @param {{ url: string, token: string, n: number, warm: number, concurrency: number, rounds: number }} arg
 */
export async function measure({ url, token, n, warm, concurrency, rounds }) {
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
  /** @typedef {keyof typeof arms} Arm */
  /**
   * Which arm goes first in step `i`: direct in odd steps, the vault in even ones.
   * @param {number} i
   * @returns {Arm[]}
   */
  const order = i => (i % 2 ? ['direct', 'vault'] : ['vault', 'direct'])

  for (let i = 0; i < warm; i++) {
    await arms.direct()
    await arms.vault()
  }
  /** @type {Record<Arm, number[]>} */
  const sequential = { direct: [], vault: [] }
  for (let i = 0; i < n; i++) {
    for (const name of order(i)) {
      const t0 = performance.now()
      await arms[name]()
      sequential[name].push(performance.now() - t0)
    }
  }

  const batches = () => ({ latency: /** @type {number[]} */ ([]), wall: /** @type {number[]} */ ([]) })
  let concurrent = { direct: batches(), vault: batches() }
  /** @param {Arm} name */
  const batch = async name => {
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const start = performance.now()
        await arms[name]()
        concurrent[name].latency.push(performance.now() - start)
      }),
    )
    concurrent[name].wall.push(performance.now() - t0)
  }
  await batch('direct') // warm-up of both, not recorded
  await batch('vault')
  concurrent = { direct: batches(), vault: batches() }
  for (let r = 0; r < rounds; r++) {
    for (const name of order(r)) await batch(name)
  }
  return { sequential, concurrent }
}

/** @param {import('./common.mjs').BenchEnv} env */
export async function run({ engine, browser, origin, routes, quick }) {
  const n = quick ? 50 : 1000
  const warm = quick ? 10 : 200
  const concurrency = quick ? 20 : 200
  const rounds = quick ? 2 : 10
  const { context, page, token } = await signedInPage(browser, origin, routes)
  try {
    const url = new URL('/api/me', origin).href

    const { sequential: seq, concurrent: con } = await page.evaluate(measure, {
      url,
      token,
      n,
      warm,
      concurrency,
      rounds,
    })

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
        summaryRow(`sequential, straight fetch (N=${n})`, sd, 'ms/request'),
        summaryRow(`sequential, session.fetch (N=${n})`, sv, 'ms/request'),
        summaryRow(`concurrent ${concurrency}, straight fetch (N=${cd.n})`, cd, 'ms/request'),
        summaryRow(`concurrent ${concurrency}, session.fetch (N=${cv.n})`, cv, 'ms/request'),
        summaryRow(`concurrent ${concurrency}, batch wall time straight (N=${rounds})`, wd, 'ms/batch'),
        summaryRow(`concurrent ${concurrency}, batch wall time vault (N=${rounds})`, wv, 'ms/batch'),
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
