// The report at line scale: a whole-run report against reports of a time range, each in a fresh
// process (the real CLI), with its wall time and peak RSS. The range is taken from the run's own
// span: the first `--hours` of inspection (default 1 h = 72,000 images at 20 per second).
//   node scripts/bench/reportRange.ts --db library.db [--source folder] [--hours 1] [--skip-whole]
// Reads the database only (the report writes its HTML to a temporary folder).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { openStore } from '../../src-main/store/index.ts'

const BIN = fileURLToPath(new URL('../../bin/coilscope.js', import.meta.url))
const { values } = parseArgs({ options: { db: { type: 'string' }, source: { type: 'string' }, hours: { type: 'string', default: '1' }, 'skip-whole': { type: 'boolean', default: false } } })
if (!values.db) throw new Error('give --db <library>')

const store = openStore(values.db, { readOnly: true })
const source = values.source ? store.sources.findByPath(values.source) : store.sources.list().at(-1)
if (!source) throw new Error(`no source ${values.source ?? ''} in ${values.db}`)
const runId = store.imageTable.latestRunId(source.id)!
const span = store.reportRange.span(runId)
store.close()
const from = new Date(span.firstMs!).toISOString()
const to = new Date(span.firstMs! + Number(values.hours) * 3_600_000).toISOString()
console.log(`run ${runId} over ${source.folderPath}: ${span.results} results, inspected ${new Date(span.firstMs!).toISOString()} to ${new Date(span.lastMs!).toISOString()}`)

/** The CLI under /usr/bin/time: wall seconds and peak RSS of the report process. */
function report(extra: readonly string[]): Promise<{ seconds: number; peakMb: number; line: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'coilscope-report-bench-'))
  const started = performance.now()
  const child = spawn('/usr/bin/time', ['-f', 'PEAK_KB %M', process.execPath, BIN, 'report', '--db', values.db!, '--source', source!.folderPath, '--out', join(dir, 'r.html'), ...extra])
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true })
      const peak = /PEAK_KB (\d+)/.exec(stderr)
      if (code !== 0 || !peak) return reject(new Error(`report failed (${code}): ${stderr}`))
      resolve({ seconds: (performance.now() - started) / 1000, peakMb: Number(peak[1]) / 1024, line: stderr.split('\n').find((l) => l.startsWith('wrote')) ?? '' })
    })
  })
}

const rows: [string, Awaited<ReturnType<typeof report>>][] = []
rows.push([`first ${values.hours} h (--from ${from} --to ${to})`, await report(['--from', from, '--to', to])])
if (!values['skip-whole']) rows.push(['whole run', await report([])])
for (const [what, r] of rows) console.log(`${what.padEnd(70)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.peakMb.toFixed(0).padStart(6)} MB peak RSS\n    ${r.line}`)
