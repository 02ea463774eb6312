// The stdout table: machine and Chromium first, then one block per benchmark.
const fmt = (value) => {
  if (typeof value !== 'number') return String(value ?? '')
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3)
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function printReport(report) {
  const { machine, chromium } = report
  console.log(`session-vault ${report.revision} benchmarks${report.quick ? ' (--quick: tiny N, smoke test only)' : ''}, ${report.date}`)
  console.log(`machine: ${machine.os}; ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB; Node ${machine.node}`)
  console.log(`1-min load average: ${machine.loadAverage1m.start} at start, ${machine.loadAverage1m.end} at end (${machine.cores} cores; other work on the machine shows in the figures)`)
  console.log(`Chromium ${chromium.version} (${chromium.path ?? "Playwright's build"}) ${chromium.args.join(' ')}; Playwright ${report.playwright}`)
  let missed = 0
  for (const result of report.benchmarks) {
    const n = Object.entries(result.n).map(([k, v]) => `${k} ${v}`).join(', ')
    console.log(`\n## ${result.title}  [N: ${n}; ${result.seconds} s, load ${result.loadAverage1m.start}]`)
    console.log(table(['figure', 'median', 'p95', 'unit'], result.rows.map((r) => [r.figure, fmt(r.median), fmt(r.p95), r.unit])))
    for (const t of result.targets) {
      if (!t.pass) missed++
      console.log(`  ${t.pass ? 'pass' : 'MISS'}  ${t.name}: ${fmt(t.value)} ${t.unit} (target ${t.op} ${t.limit} ${t.unit})`)
    }
    for (const note of result.notes ?? []) console.log(`  note: ${note}`)
  }
  const total = report.benchmarks.reduce((n, r) => n + r.targets.length, 0)
  console.log(`\ntargets: ${total - missed} of ${total} met${missed ? ` (${missed} missed: measurements, not failures)` : ''}`)
}
