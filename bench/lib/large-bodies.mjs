// 2. Large bodies: a 10 MB download and a 10 MB upload, straight fetch against
// session.fetch (bodies cross the worker boundary as transferable ArrayBuffers).
import { median, round, signedInPage, summary, summaryRow, target } from './common.mjs'

export const id = 'large'
/**
 * Chromium only so far: the figures that compare engines are fetch, logout and idle.
 * @type {import('./common.mjs').EngineName[]}
 */
export const engines = ['chromium']
export const title = 'Large bodies (10 MB)'

const SIZE = 10 * 1024 * 1024

/**
 * In the page: `runs` timed runs per arm after `warm` untimed ones, alternating the order.
 * @param {{ origin: string, token: string, size: number, runs: number, warm: number }} arg
 */
async function measure({ origin, token, size, runs, warm }) {
  const auth = { Authorization: `Bearer ${token}` }
  const download = new URL(`/api/bytes?n=${size}`, origin).href
  const echo = new URL('/api/echo', origin).href
  const upload = new Uint8Array(size)
  for (let i = 0; i < size; i++) upload[i] = i % 251
  /** @typedef {'download' | 'upload'} Kind */
  /** @typedef {`${Kind} ${'direct' | 'vault'}`} Arm */
  /** @type {Record<Arm, () => Promise<void>>} */
  const arms = {
    'download direct': async () => {
      const response = await fetch(download, { headers: auth })
      const buffer = await response.arrayBuffer()
      if (response.status !== 200 || buffer.byteLength !== size)
        throw new Error(`download: ${response.status} ${buffer.byteLength}`)
    },
    'download vault': async () => {
      const response = await window.session.fetch(download)
      const buffer = await response.arrayBuffer()
      if (response.status !== 200 || buffer.byteLength !== size)
        throw new Error(`download: ${response.status} ${buffer.byteLength}`)
    },
    'upload direct': async () => {
      const response = await fetch(echo, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/octet-stream' },
        body: upload,
      })
      const { bodyLength } = await response.json()
      if (response.status !== 200 || bodyLength !== size) throw new Error(`upload: ${response.status} ${bodyLength}`)
    },
    'upload vault': async () => {
      const response = await window.session.fetch(echo, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: upload,
      })
      const { bodyLength } = await response.json()
      if (response.status !== 200 || bodyLength !== size) throw new Error(`upload: ${response.status} ${bodyLength}`)
    },
  }
  /** @type {Record<Arm, number[]>} */
  const times = { 'download direct': [], 'download vault': [], 'upload direct': [], 'upload vault': [] }
  /** @type {Kind[]} */
  const kinds = ['download', 'upload']
  for (const kind of kinds) {
    for (let i = 0; i < warm; i++) {
      await arms[`${kind} direct`]()
      await arms[`${kind} vault`]()
    }
    for (let i = 0; i < runs; i++) {
      /** @type {Arm[]} */
      const order = i % 2 ? [`${kind} direct`, `${kind} vault`] : [`${kind} vault`, `${kind} direct`]
      for (const name of order) {
        const t0 = performance.now()
        await arms[name]()
        times[name].push(performance.now() - t0)
      }
    }
  }
  // For scale: what re-wrapping a 10 MB buffer in a Response and reading it back costs on the main thread.
  /** @type {number[]} */
  const rewrap = []
  for (let i = 0; i < Math.max(3, runs); i++) {
    const buffer = upload.buffer.slice(0)
    const t0 = performance.now()
    const out = await new Response(buffer).arrayBuffer()
    rewrap.push(performance.now() - t0)
    if (out.byteLength !== size) throw new Error('rewrap')
  }
  return { ...times, rewrap }
}

/** @param {import('./common.mjs').BenchEnv} env */
export async function run({ browser, origin, routes, quick }) {
  const runs = quick ? 1 : 10
  const warm = quick ? 0 : 2
  const { context, page, token } = await signedInPage(browser, origin, routes)
  try {
    const times = await page.evaluate(measure, { origin, token, size: SIZE, runs, warm })
    const { rewrap, ...arms } = times
    const s = {
      'download direct': summary(arms['download direct']),
      'download vault': summary(arms['download vault']),
      'upload direct': summary(arms['upload direct']),
      'upload vault': summary(arms['upload vault']),
    }
    const r = summary(rewrap)
    /** @param {number} ms */
    const mbps = ms => round(SIZE / 1024 / 1024 / (ms / 1000), 1)
    const downloadRatio = median(times['download vault']) / median(times['download direct'])
    const uploadRatio = median(times['upload vault']) / median(times['upload direct'])
    return {
      id,
      title,
      n: { runs, warmup: warm, bytes: SIZE },
      rows: [
        ...Object.entries(s).map(([name, v]) =>
          summaryRow(
            `${name.startsWith('upload') ? `${name} (POST /api/echo)` : `${name} (GET /api/bytes)`} (N=${v.n})`,
            v,
            'ms',
          ),
        ),
        summaryRow(`  for scale: new Response(10 MB buffer).arrayBuffer() in the page (N=${r.n})`, r, 'ms'),
      ],
      targets: [
        target('download ratio of medians', downloadRatio, 1.3, 'x'),
        target('upload ratio of medians', uploadRatio, 1.3, 'x'),
      ],
      notes: [
        'the echo answer carries the body back as base64 JSON (~13.3 MB), read in both arms',
        `throughput (median): download direct ${mbps(s['download direct'].median)} MB/s, vault ${mbps(s['download vault'].median)} MB/s`,
      ],
      headline: [
        { figure: 'large bodies: 10 MB download ratio', value: downloadRatio, unit: 'x' },
        { figure: 'large bodies: 10 MB upload ratio', value: uploadRatio, unit: 'x' },
      ],
      raw: { ...s, rewrap: r, downloadRatio: round(downloadRatio), uploadRatio: round(uploadRatio) },
    }
  } finally {
    await context.close()
  }
}
