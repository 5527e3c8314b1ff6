// The report over a time range: only the range's images in full, the rest of the run counted in SQL,
// an empty range refused with the run's span, and a large run's whole-run report announced first.
// The source is grown in SQL from a real inspection (as the scale bench does) to 9,000 images,
// inspected at 20 per second; the large run is one of more than LARGE_RUN_IMAGES results written in SQL.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import { buildReportHtml, collectReportData, EmptyRangeError, REPORT_DATA_ID, type ReportData } from '../../../src-main/report/index.ts'
import { profileForRun, reviewedMasks } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { LARGE_RUN_IMAGES, reportRange } from '../../../src-shared/reportRange.ts'
import { runCli } from '../../helpers/cli.ts'
import { tempDir } from '../../helpers/images.ts'
import { seed, tempDbPath } from '../store/fixtures.ts'
import { copyOfGrownLibrary } from './inspectedRun.ts'

const IMAGES = 9_000
let dbPath: string
let store: Store
let sql: Database.Database
let sourceId: number
let folder: string
let runId: number
let firstMs: number
let lastMs: number

before(async () => {
  dbPath = join(tempDir(), 'grown.db')
  ;({ folder } = await copyOfGrownLibrary(IMAGES, dbPath))
  store = openStore(dbPath)
  sourceId = store.sources.findByPath(folder)!.id
  runId = store.imageTable.latestRunId(sourceId)!
  sql = new Database(dbPath, { readonly: true })
  ;({ firstMs, lastMs } = sql.prepare('SELECT min(created_at_ms) AS firstMs, max(created_at_ms) AS lastMs FROM predictions WHERE run_id = ?').get(runId) as { firstMs: number; lastMs: number })
})

after(() => {
  sql?.close()
  store?.close()
})

/** The counts of the images inspected in [from, to), straight from the tables (every grown file is unique). */
function sqlCounts(from: number, to: number) {
  const where = 'FROM predictions p JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND p.created_at_ms >= ? AND p.created_at_ms < ?'
  const one = (what: string) => sql.prepare(`SELECT ${what} ${where}`).pluck().get(runId, from, to) as number
  return {
    images: one('count(*)'),
    defective: one('count(*) FILTER (WHERE p.class_mask <> 0)'),
    class3: one('count(*) FILTER (WHERE p.class_mask & 4 <> 0)'),
    reviewed: one("count(*) FILTER (WHERE i.review_status <> 'unreviewed')"),
    flagged: one("count(*) FILTER (WHERE i.review_status = 'flagged')"),
    edited: one('count(*) FILTER (WHERE i.edited_class_mask <> 0)'),
  }
}

function embeddedData(html: string): ReportData {
  const match = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">(.*?)</script>`, 's').exec(html)
  return JSON.parse(match![1]) as ReportData
}

test('a range reports its own images in full and counts the rest of the run in SQL', () => {
  const range = { fromMs: firstMs + 100_000, toMs: firstMs + 160_000 }
  const data = collectReportData(store, { sourceId, runId, range })

  const inRange = sqlCounts(range.fromMs, range.toMs)
  assert.ok(inRange.images > 1000 && inRange.images < 1300, `${inRange.images} images in a minute at 20/s`)
  assert.equal(data.summary.images, inRange.images)
  assert.equal(data.summary.review.reviewed, inRange.reviewed)
  assert.equal(data.summary.review.flagged, inRange.flagged)

  // The range's defects as reviewed, image by image, from the review module itself.
  const profile = profileForRun(store, runId)
  const ids = sql.prepare('SELECT image_id FROM predictions WHERE run_id = ? AND created_at_ms >= ? AND created_at_ms < ?').pluck().all(runId, range.fromMs, range.toMs) as number[]
  const defective = ids.filter((id) => reviewedMasks(store, runId, id, profile).some((m) => m.rle !== ''))
  assert.equal(data.summary.defectiveImages, defective.length)
  const listed = new Set(data.defectiveImages.map((r) => r.imageId))
  assert.equal(listed.size, defective.length, 'every defective image of the range listed (fewer than the table holds)')
  assert.ok(defective.every((id) => listed.has(id)))
  assert.deepEqual(data.defectiveImages.map((r) => r.image), data.defectiveImages.map((r) => r.image).sort(), 'in file order')

  const rest = data.range!
  assert.equal(rest.from, new Date(range.fromMs).toISOString())
  assert.equal(rest.runFirst, new Date(firstMs).toISOString())
  assert.equal(rest.runLast, new Date(lastMs).toISOString())
  assert.match(rest.basis, /predictions\.created_at_ms/)
  for (const [part, from, to] of [[rest.before, 0, range.fromMs], [rest.after, range.toMs, lastMs + 1]] as const) {
    const expected = sqlCounts(from, to)
    assert.equal(part.images, expected.images)
    assert.equal(part.defectiveImages, expected.defective)
    assert.equal(part.perClass.find((c) => c.classId === 3)!.images, expected.class3)
    assert.equal(part.review.reviewed, expected.reviewed)
    assert.equal(part.review.flagged, expected.flagged)
    assert.equal(part.humanEditedImages, expected.edited)
  }
  assert.ok(rest.before.images > 0 && rest.after.images > 0 && rest.before.humanEditedImages > 0)
  const withResult = sql.prepare('SELECT count(*) FROM predictions WHERE run_id = ?').pluck().get(runId) as number
  assert.equal(rest.before.images + data.summary.images + rest.after.images, withResult)
})

test('a range’s report shows the coils with an image in the range, and no others', async () => {
  const byTime = (fromS: number, count: number) =>
    (sql.prepare('SELECT image_id FROM predictions WHERE run_id = ? AND created_at_ms >= ? ORDER BY created_at_ms LIMIT ?').pluck().all(runId, firstMs + fromS * 1000, count) as number[])
      .map((imageId, k) => ({ imageId, positionMm: k * 1000 }))
  store.coils.replace(sourceId, [
    { name: 'early', lengthMm: 100_000, widthMm: 1500, images: byTime(0, 100) },
    { name: 'shift', lengthMm: 100_000, widthMm: 1500, images: byTime(150, 100) },
    { name: 'late', lengthMm: 100_000, widthMm: 1500, images: byTime(400, 100) },
  ])
  try {
    const { html } = await buildReportHtml(store, { sourceId, runId, range: { fromMs: firstMs + 100_000, toMs: firstMs + 160_000 } })
    assert.match(html, /data-coil="shift"/)
    assert.doesNotMatch(html, /data-coil(-row)?="(early|late)"/)
  } finally {
    store.coils.replace(sourceId, [])
  }
})

test('an empty range is refused, naming the range and the run’s first and last times', () => {
  const range = { fromMs: lastMs + 3_600_000, toMs: lastMs + 7_200_000 }
  assert.throws(() => collectReportData(store, { sourceId, runId, range }), (error: Error) => {
    assert.ok(error instanceof EmptyRangeError)
    assert.ok(error.message.includes(new Date(range.fromMs).toISOString()) && error.message.includes(new Date(range.toMs).toISOString()), error.message)
    assert.ok(error.message.includes(new Date(firstMs).toISOString()) && error.message.includes(new Date(lastMs).toISOString()), error.message)
    return true
  })
})

test('time ranges as typed: local or offset date-times, --last spans, and the mistakes', () => {
  assert.deepEqual(reportRange({ from: '2026-11-30T06:00+01:00', to: '2026-11-30T14:00Z' }, 0), { fromMs: Date.UTC(2026, 10, 30, 5), toMs: Date.UTC(2026, 10, 30, 14) })
  assert.equal(reportRange({ from: '2026-11-30 06:00', to: '2026-11-30T06:30:15' }, 0)!.fromMs, new Date(2026, 10, 30, 6).getTime())
  assert.deepEqual(reportRange({ last: '8h' }, 1e9), { fromMs: 1e9 - 8 * 3_600_000, toMs: 1e9 })
  assert.equal(reportRange({}, 0), null)
  assert.throws(() => reportRange({ from: 'yesterday', to: '2026-11-30T06:00' }, 0), /"yesterday" is not a date-time/)
  assert.throws(() => reportRange({ from: '2026-11-30T06:00' }, 0), /needs both --from <time> and --to <time>/)
  assert.throws(() => reportRange({ from: '2026-11-30T08:00', to: '2026-11-30T06:00' }, 0), /is not after/)
  assert.throws(() => reportRange({ last: '8 hours' }, 0), /not a span/)
  assert.throws(() => reportRange({ last: '8h', from: '2026-11-30T06:00' }, 0), /not both/)
})

test('coilscope report --from/--to: the range in the embedded data, the rest counted; bad and empty ranges fail clearly', () => {
  const dir = tempDir()
  const out = join(dir, 'shift.html')
  const from = new Date(firstMs + 200_000).toISOString()
  const to = new Date(firstMs + 230_000).toISOString().replace('Z', '+00:00')
  const run = runCli(['report', '--db', dbPath, '--source', folder, '--out', out, '--from', from, '--to', to])
  assert.equal(run.status, 0, run.stderr)
  const data = embeddedData(readFileSync(out, 'utf8'))
  const expected = sqlCounts(firstMs + 200_000, firstMs + 230_000)
  assert.equal(data.summary.images, expected.images)
  assert.equal(data.range!.before.images, sqlCounts(0, firstMs + 200_000).images)
  assert.equal(data.range!.after.images, sqlCounts(firstMs + 230_000, lastMs + 1).images)
  assert.match(run.stderr, new RegExp(`; ${expected.images} images inspected from ${from} to `))
  assert.match(readFileSync(out, 'utf8'), /data-fact="range"><b>Time range: .*is summarised below/s)
  assert.doesNotMatch(run.stderr, /holds/, 'a range is not announced as a long report')

  const bad = runCli(['report', '--db', dbPath, '--source', folder, '--out', join(dir, 'bad.html'), '--from', '30/11/2026', '--to', to])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /--from <time> "30\/11\/2026" is not a date-time/)
  const empty = runCli(['report', '--db', dbPath, '--source', folder, '--out', join(dir, 'empty.html'), '--last', '8h'])
  assert.equal(empty.status, 2)
  assert.match(empty.stderr, new RegExp(`no image of run ${runId} was inspected from .*: the run's images were inspected from ${new Date(firstMs).toISOString()} to ${new Date(lastMs).toISOString()}`))
})

/** One run of LARGE_RUN_IMAGES + 1 results, written in SQL: the notice counts results, so nothing else is needed. */
function largeRun(): { path: string; folder: string; runId: number } {
  const path = tempDbPath()
  const large = openStore(path)
  const { source, run } = seed(large)
  large.close()
  const db = new Database(path)
  db.exec(`
    WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${LARGE_RUN_IMAGES + 1})
    INSERT INTO images (source_id, relative_path, byte_size, mtime_ms, sha256, width, height, status)
      SELECT ${source.id}, printf('c%06d.jpg', n), 1, 1, printf('%064x', n + 100), 1600, 256, 'done' FROM k;
    INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms)
      SELECT ${run.id}, id, sha256, 0.1, 0, '[]', 1700000000000 + id * 50 FROM images WHERE source_id = ${source.id} AND relative_path <> 'a.jpg';`)
  db.close()
  return { path, folder: source.folderPath, runId: run.id }
}

test('a whole-run report of a large run says what it will cost before it starts', async () => {
  const large = largeRun()
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../../bin/coilscope.js', import.meta.url)), 'report', '--db', large.path, '--source', large.folder, '--out', join(tempDir(), 'all.html')])
  let stderr = ''
  const notice = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('\n')) resolve(stderr)
    })
    child.on('exit', () => reject(new Error(`ended before any notice: ${stderr}`)))
  })
  child.kill()
  await new Promise((resolve) => child.once('close', resolve))
  const from = new Date(1_700_000_000_000 + 1000 * 50).toISOString()
  const to = new Date(1_700_000_000_000 + 1100 * 50).toISOString()
  const ranged = runCli(['report', '--db', large.path, '--source', large.folder, '--out', join(tempDir(), 'range.html'), '--from', from, '--to', to])
  assert.equal(ranged.status, 0, ranged.stderr)
  assert.match(ranged.stderr, /; 100 images inspected from /)
  assert.doesNotMatch(ranged.stderr, /holds/, 'a range of a large run is not announced as a long report')
  assert.match(notice, new RegExp(`run ${large.runId} holds ${(LARGE_RUN_IMAGES + 1).toLocaleString('en-US')} images: a whole-run report reads every one.*--last 8h, or --from`))
})
