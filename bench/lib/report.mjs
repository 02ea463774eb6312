// The stdout table: machine and engines first, then one group per engine (a
// block per benchmark), then the figures side by side, a column per engine.
const fmt = value => {
  if (typeof value !== 'number') return String(value ?? '')
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3)
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)))
  const line = cells =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')
  return [line(headers), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const TITLES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }

export function printReport(report) {
  const { machine } = report
  const engines = report.engines ?? (report.chromium ? { chromium: report.chromium } : {})
  const names = Object.keys(engines)
  console.log(
    `session-vault ${report.revision} benchmarks${report.quick ? ' (--quick: tiny N, smoke test only)' : ''}, ${report.date}${report.seconds ? `, ${report.seconds} s` : ''}`,
  )
  console.log(
    `machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB; Node ${machine.node}`,
  )
  console.log(
    `1-min load average: ${machine.loadAverage1m.start} at start, ${machine.loadAverage1m.end} at end (${machine.cores} cores; other work on the machine shows in the figures)`,
  )
  for (const name of names) {
    const e = engines[name]
    console.log(
      `${TITLES[name] ?? name} ${e.version} (${e.path ?? "Playwright's build"})${e.args?.length ? ` ${e.args.join(' ')}` : ''}; ${e.driver ?? `Playwright ${report.playwright}`}`,
    )
  }
  let missed = 0
  for (const name of names) {
    const results = report.benchmarks.filter(r => (r.engine ?? 'chromium') === name)
    console.log(
      `\n# ${TITLES[name] ?? name} ${engines[name].version}${engines[name].seconds ? `  [${engines[name].seconds} s]` : ''}`,
    )
    for (const result of results) {
      const n = Object.entries(result.n)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
      console.log(
        `\n## ${TITLES[name] ?? name}: ${result.title}  [N: ${n}; ${result.seconds} s, load ${result.loadAverage1m.start}]`,
      )
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
  if (names.length > 1) {
    const figures = new Map()
    for (const result of report.benchmarks) {
      for (const h of result.headline ?? []) {
        if (!figures.has(h.figure)) figures.set(h.figure, { unit: h.unit, id: result.id, values: {} })
        figures.get(h.figure).values[result.engine ?? 'chromium'] = h.value
      }
    }
    const only = new Set((report.chromiumOnly ?? []).map(s => `${s.id}/${s.engine}`))
    const rows = [...figures].map(([figure, { unit, id, values }]) => [
      figure,
      ...names.map(name => (name in values ? fmt(values[name]) : only.has(`${id}/${name}`) ? 'Chromium only' : 'n/a')),
      unit,
    ])
    const loads = names.map(name => {
      const rs = report.benchmarks.filter(r => (r.engine ?? 'chromium') === name)
      return rs.length
        ? `${Math.min(...rs.map(r => r.loadAverage1m.start))}-${Math.max(...rs.map(r => r.loadAverage1m.start))}`
        : ''
    })
    rows.push(["1-min load average at the benchmarks' start", ...loads, ''])
    console.log(`\n# Per engine (each engine's vault against its own direct fetch)`)
    console.log(
      table(['figure', ...names.map(name => `${TITLES[name] ?? name} ${engines[name].version}`), 'unit'], rows),
    )
  }
  const total = report.benchmarks.reduce((n, r) => n + r.targets.length, 0)
  console.log(
    `\ntargets: ${total - missed} of ${total} met${missed ? ` (${missed} missed: measurements, not failures)` : ''}`,
  )
}
