// The stdout table: machine and engines first, then one group per engine (a
// block per benchmark), then the figures side by side, a column per engine.
import { ENGINE_NAMES, ENGINE_TITLES } from './common.mjs'

/** @typedef {import('./common.mjs').EngineName} EngineName */

/** @param {unknown} value */
const fmt = value => {
  if (typeof value !== 'number') return String(value ?? '')
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3)
}

/**
 * Columns padded to their widest cell: the first left-aligned, the others right-aligned.
 * @param {readonly string[]} headers
 * @param {readonly (readonly (string | number)[])[]} rows
 */
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)))
  /** @param {readonly (string | number)[]} cells */
  const line = cells =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ')
  return [line(headers), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** @param {import('./common.mjs').Report} report */
export function printReport(report) {
  const { machine } = report
  const engines = report.engines ?? (report.chromium ? { chromium: report.chromium } : {})
  // The engines that ran, in their fixed order, with what they ran as.
  const ran = ENGINE_NAMES.flatMap(name => {
    const info = engines[name]
    return info ? [{ name, info, title: ENGINE_TITLES[name] }] : []
  })
  console.log(
    `session-vault ${report.revision} benchmarks${report.quick ? ' (--quick: tiny N, smoke test only)' : ''}, ${report.date}${report.seconds ? `, ${report.seconds} s` : ''}`,
  )
  console.log(
    `machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB; Node ${machine.node}`,
  )
  console.log(
    `1-min load average: ${machine.loadAverage1m.start} at start, ${machine.loadAverage1m.end} at end (${machine.cores} cores; other work on the machine shows in the figures)`,
  )
  for (const { info: e, title } of ran) {
    console.log(
      `${title} ${e.version} (${e.path ?? "Playwright's build"})${e.args?.length ? ` ${e.args.join(' ')}` : ''}; ${e.driver ?? `Playwright ${report.playwright}`}`,
    )
  }
  let missed = 0
  for (const { name, info, title } of ran) {
    const results = report.benchmarks.filter(r => (r.engine ?? 'chromium') === name)
    console.log(`\n# ${title} ${info.version}${info.seconds ? `  [${info.seconds} s]` : ''}`)
    for (const result of results) {
      const n = Object.entries(result.n)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
      console.log(`\n## ${title}: ${result.title}  [N: ${n}; ${result.seconds} s, load ${result.loadAverage1m.start}]`)
      console.log(
        table(
          ['figure', 'median', 'p95', 'unit'],
          result.rows.map(r => [r.figure, fmt(r.median), fmt(r.p95), r.unit]),
        ),
      )
      for (const t of result.targets) {
        if (!t.pass) missed++
        console.log(
          `  ${t.pass ? 'pass' : 'MISS'}  ${t.name}: ${fmt(t.value)} ${t.unit} (target ${t.op} ${t.limit} ${t.unit})`,
        )
      }
      for (const note of result.notes ?? []) console.log(`  note: ${note}`)
    }
  }
  // Side by side: every headline figure, a column per engine; a benchmark not run in an engine says why.
  if (ran.length > 1) {
    /** @type {Map<string, { unit: string, id: string, values: Partial<Record<EngineName, number>> }>} */
    const figures = new Map()
    for (const result of report.benchmarks) {
      for (const h of result.headline ?? []) {
        let figure = figures.get(h.figure)
        if (!figure) figures.set(h.figure, (figure = { unit: h.unit, id: result.id, values: {} }))
        figure.values[result.engine ?? 'chromium'] = h.value
      }
    }
    const only = new Set((report.chromiumOnly ?? []).map(s => `${s.id}/${s.engine}`))
    const rows = [...figures].map(([figure, { unit, id, values }]) => [
      figure,
      ...ran.map(({ name }) =>
        name in values ? fmt(values[name]) : only.has(`${id}/${name}`) ? 'Chromium only' : 'n/a',
      ),
      unit,
    ])
    const loads = ran.map(({ name }) => {
      const starts = report.benchmarks.filter(r => (r.engine ?? 'chromium') === name).map(r => r.loadAverage1m.start)
      return starts.length ? `${Math.min(...starts)}-${Math.max(...starts)}` : ''
    })
    rows.push(["1-min load average at the benchmarks' start", ...loads, ''])
    console.log(`\n# Per engine (each engine's vault against its own direct fetch)`)
    console.log(table(['figure', ...ran.map(({ info, title }) => `${title} ${info.version}`), 'unit'], rows))
  }
  const total = report.benchmarks.reduce((n, r) => n + r.targets.length, 0)
  console.log(
    `\ntargets: ${total - missed} of ${total} met${missed ? ` (${missed} missed: measurements, not failures)` : ''}`,
  )
}
