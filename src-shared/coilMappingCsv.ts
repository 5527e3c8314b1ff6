// The line system's coil CSV: a header with columns `file`, `coil` and `seq` (any order, other
// columns ignored), one image per row. Rows that cannot be read are reported by line, not thrown.
import { parse } from 'csv-parse/sync'
import type { CoilMappingRow, GroupingProblem } from './coilGrouping.ts'

const REQUIRED = ['file', 'coil', 'seq'] as const

export function parseCoilMapping(text: string, origin: string): { rows: CoilMappingRow[]; problems: GroupingProblem[] } {
  let records: string[][]
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][]
  } catch (error) {
    return { rows: [], problems: [{ file: origin, problem: `not readable as CSV: ${(error as Error).message}` }] }
  }
  if (records.length === 0) return { rows: [], problems: [{ file: origin, problem: 'the coil CSV is empty' }] }
  const header = records[0].map((h) => h.toLowerCase())
  const column = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>
  const missing = REQUIRED.filter((name) => column[name] < 0)
  if (missing.length > 0) return { rows: [], problems: [{ file: origin, problem: `the coil CSV has no column ${missing.join(', ')} in its header` }] }
  const rows: CoilMappingRow[] = []
  const problems: GroupingProblem[] = []
  records.slice(1).forEach((record, i) => {
    const line = i + 2
    const [file, coil, seqText] = [record[column.file], record[column.coil], record[column.seq]]
    const seq = Number(seqText)
    if (!file || !coil || seqText === undefined || seqText === '' || !Number.isSafeInteger(seq) || seq < 0) {
      problems.push({ file: file || `${origin} line ${line}`, problem: `line ${line} of the coil CSV needs a file, a coil and a whole seq ≥ 0 (got "${record.join(',')}")` })
      return
    }
    rows.push({ file, coil, seq, line })
  })
  return { rows, problems }
}
