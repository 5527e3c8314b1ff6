// The review-while-watching benchmark's table: one column per phase, one row per figure, each
// timing as median / p95 / max over its repetitions (n). Pure: results in, Markdown out.

export interface ReviewerTimings {
  readonly next: number[]
  readonly open: number[]
  readonly strokePaint: number[]
  readonly strokeSave: number[]
}

export interface PhaseResult {
  readonly name: string
  /** Images/s the camera was set to write (0: nothing arrives). */
  readonly rate: number
  readonly seconds: number
  /** Files the camera completed during the phase. */
  readonly arrived: number
  /** Results stored for the watched folder during the phase. */
  readonly inspected: number
  /** Files completed during the phase without a result at its end. */
  readonly backlog: number
  /** The 1-minute load average at the end. */
  readonly load: number
  readonly timings: ReviewerTimings
  /** The host's round trips to the ping during the phase. */
  readonly pings: number[]
}

const LABELS: Record<string, string> = {
  quiet: 'quiet',
  app: 'watched in serve',
  overload: 'watched in serve, overload',
  headless: '`coilscope watch` beside serve',
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

/** "median / p95 / max ms (n)", or a dash when nothing was measured. */
export function spread(values: readonly number[]): string {
  if (values.length === 0) return '–'
  const sorted = [...values].sort((a, b) => a - b)
  const ms = (v: number) => v.toFixed(0)
  return `${ms(quantile(sorted, 0.5))} / ${ms(quantile(sorted, 0.95))} / ${ms(sorted.at(-1)!)} ms (${values.length})`
}

export function reviewTable(results: readonly PhaseResult[], setting: { readonly count: number; readonly lookMs: number; readonly writeMs: number; readonly prefill: number; readonly cores: number }): string {
  const perSecond = (n: number, r: PhaseResult) => (r.rate === 0 ? '–' : (n / r.seconds).toFixed(2))
  const rows: [string, (r: PhaseResult) => string][] = [
    ['camera rate set (images/s)', (r) => (r.rate === 0 ? '–' : r.rate.toFixed(2))],
    ['images/s arriving', (r) => perSecond(r.arrived, r)],
    ['images/s inspected', (r) => perSecond(r.inspected, r)],
    ['backlog at the end (images)', (r) => (r.rate === 0 ? '–' : String(r.backlog))],
    ['load average (1 min) at the end', (r) => r.load.toFixed(1)],
    ['next image: → to painted', (r) => spread(r.timings.next)],
    ['Review open: tab click to painted', (r) => spread(r.timings.open)],
    ['brush stroke: pointer down to painted', (r) => spread(r.timings.strokePaint)],
    ['brush stroke: release to saved', (r) => spread(r.timings.strokeSave)],
    ['host ping round trip', (r) => spread(r.pings)],
  ]
  const lines = [
    `| | ${results.map((r) => `${LABELS[r.name] ?? r.name} (${r.seconds.toFixed(0)} s)`).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
    ...rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`),
    '',
    `Timings: median / p95 / max (repetitions). Review works on ${setting.count} inspected coils, looking ${setting.lookMs} ms at each image; the camera writes each file in 4 chunks over ${setting.writeMs} ms, and the watch counts it complete after 1 s without growing (so a backlog of about rate × 1 s plus the image in hand is the least there can be)${setting.prefill > 0 ? `; each watched folder held ${setting.prefill} sidecar files before the first image` : ''}; ${setting.cores} cores.`,
  ]
  return lines.join('\n')
}
