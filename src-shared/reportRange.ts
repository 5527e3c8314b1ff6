// A report's time range as people type it: ISO 8601 date-times (local, or with Z or an offset) for
// --from/--to, or a span back from now (`8h`, `90m`, `2d`) for --last. The range is half-open,
// from ≤ t < to, so consecutive shifts never count an image twice.

export interface TimeRange {
  readonly fromMs: number
  readonly toMs: number
}

/** Above this many images a whole-run report takes minutes: the CLI and the app say so first. */
export const LARGE_RUN_IMAGES = 20_000

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})?$/
const SPAN = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/
const SPAN_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }
// Each as commander prints it (a bare '--from' literal reads to import scanners as `from '…'`).
const CLI_NAMES = { from: '--from <time>', to: '--to <time>', last: '--last <span>' }

/** Unix ms of an ISO 8601 date-time; without Z or an offset it is local time. */
export function parseReportTime(text: string, what = 'the time'): number {
  const match = DATE_TIME.exec(text.trim())
  const ms = match ? Date.parse(`${match[1]}T${match[2]}${match[3] ?? ''}`) : Number.NaN
  if (!Number.isFinite(ms)) {
    throw new RangeError(`${what} "${text}" is not a date-time: write it as 2026-11-30T06:00 (local) or 2026-11-30T06:00+01:00`)
  }
  return ms
}

/** Milliseconds of a span such as 8h, 90m or 2d. */
export function parseSpan(text: string, what = CLI_NAMES.last): number {
  const match = SPAN.exec(text.trim())
  const ms = match ? Number(match[1]) * SPAN_MS[match[2]] : 0
  if (!(ms > 0)) throw new RangeError(`${what} "${text}" is not a span: write it as 8h, 90m or 2d`)
  return ms
}

type Given = { readonly from?: string; readonly to?: string; readonly last?: string }

/** The range from the fields given: from and to, or the last span before `now`; null when none is given. `names`: how errors call the fields. */
export function reportRange(given: Given, now: number, names: Readonly<Record<keyof Given, string>> = CLI_NAMES): TimeRange | null {
  const { from, to, last } = given
  if (last !== undefined && (from !== undefined || to !== undefined)) throw new RangeError(`give ${names.last} or ${names.from}/${names.to}, not both`)
  if (last !== undefined) return { fromMs: now - parseSpan(last, names.last), toMs: now }
  if (from === undefined && to === undefined) return null
  if (from === undefined || to === undefined) throw new RangeError(`a time range needs both ${names.from} and ${names.to} (or ${names.last})`)
  const range = { fromMs: parseReportTime(from, names.from), toMs: parseReportTime(to, names.to) }
  if (range.toMs <= range.fromMs) throw new RangeError(`${names.to} ${to} is not after ${names.from} ${from}`)
  return range
}

/** The Export screen's names for the fields. */
export const FORM_NAMES = { from: 'the range start', to: 'the range end', last: 'the span' }
