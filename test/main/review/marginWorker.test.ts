// Review's margins computed in the background by the worker thread, on a real library file: a stop
// asked mid-run returns after the step in hand, a process killed mid-run (SIGKILL) leaves every
// generation's rows exactly those of the predictions up to its mark, and the work resumes from
// there to the exact order.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { warmReview } from '../../../src-main/app/reviewWarmup.ts'
import { marginProfile, prepareMargins, profileForRun, ReviewService } from '../../../src-main/review/index.ts'
import { openStore } from '../../../src-main/store/index.ts'
import { decisionMargin } from '../../../src-shared/uncertainty.ts'
import { seed, tempDbPath } from '../store/fixtures.ts'

const WARMUP_MODULE = new URL('../../../src-main/app/reviewWarmup.ts', import.meta.url).pathname
const IMAGES = 12_000

/** A library with one run of IMAGES predictions, written in SQL (fast); returns its ids. */
function library(): { path: string; runId: number; sourceId: number } {
  const path = tempDbPath()
  const store = openStore(path)
  const { source, run } = seed(store)
  store.close()
  const db = new Database(path)
  db.exec(`
    WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${IMAGES})
    INSERT INTO images (source_id, relative_path, byte_size, mtime_ms, sha256, status)
      SELECT ${source.id}, printf('c%06d.jpg', n), 1, 1, printf('%064x', n + 100), 'done' FROM k;
    INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms)
      SELECT ${run.id}, id, sha256, CASE WHEN id % 9 = 0 THEN NULL ELSE (id * 7919 % 1000) / 999.0 END, 1,
        json_array(json_object('classId', 1, 'areaImagePx', 0, 'maxProbability', (id * 31 % 97) / 97.0, 'disagreement', CASE WHEN id % 4 = 0 THEN NULL ELSE (id % 13) / 50.0 END),
                   json_object('classId', 2, 'areaImagePx', 0, 'maxProbability', (id * 17 % 89) / 89.0, 'disagreement', 0.01)), 1
      FROM images WHERE source_id = ${source.id} AND relative_path <> 'a.jpg';`)
  db.close()
  return { path, runId: run.id, sourceId: source.id }
}

/** Every live generation holds exactly the run's predictions up to its mark. */
function assertConsistent(path: string, runId: number): number {
  const db = new Database(path, { readonly: true })
  const sets = db.prepare("SELECT generation, through_prediction_id FROM review_margin_sets WHERE run_id = ? AND state <> 'retired'").all(runId) as { generation: number; through_prediction_id: number }[]
  for (const set of sets) {
    const rows = db.prepare('SELECT count(*) FROM review_margins WHERE run_id = ? AND generation = ?').pluck().get(runId, set.generation)
    const measured = db.prepare('SELECT count(*) FROM predictions WHERE run_id = ? AND id <= ?').pluck().get(runId, set.through_prediction_id)
    assert.equal(rows, measured, `generation ${set.generation}: its rows are the predictions up to its mark`)
  }
  db.close()
  return sets.length
}

function assertExactOrder(path: string, runId: number, sourceId: number): void {
  const store = openStore(path)
  while (prepareMargins(store, runId, 5000) > 0);
  const profile = profileForRun(store, runId)
  const expected = store.predictions.listByRun(runId)
    .map((p) => ({ imageId: p.imageId, margin: decisionMargin(p, profile) }))
    .sort((a, b) => a.margin - b.margin || a.imageId - b.imageId)
  const window = new ReviewService(store).window({ runId, sourceId, order: 'uncertainty', from: 0, limit: expected.length })
  assert.equal(window.preparing, undefined)
  assert.deepEqual(window.items.map((i) => ({ imageId: i.imageId, margin: i.margin })), expected)
  store.close()
}

test('a stop asked mid-run returns after the step in hand, leaving the margins consistent', async () => {
  const { path, runId, sourceId } = library()
  const store = openStore(path)
  const profile = marginProfile(store, runId)
  const warmup = warmReview(store)
  while (store.reviewQueue.progress(runId, profile).fraction === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  await warmup.stop()
  const stoppedAt = store.reviewQueue.progress(runId, profile)
  assert.ok(stoppedAt.fraction < 1, `stopped before the end (${stoppedAt.fraction})`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.deepEqual(store.reviewQueue.progress(runId, profile), stoppedAt, 'nothing computed after the stop')
  store.close()
  assert.equal(assertConsistent(path, runId), 1)
  assertExactOrder(path, runId, sourceId)
})

test('a process killed (SIGKILL) while its worker computes leaves consistent margins, and the work resumes from the mark', async () => {
  const { path, runId, sourceId } = library()
  const script = `
    import { warmReview } from ${JSON.stringify(WARMUP_MODULE)}
    import { openStore } from ${JSON.stringify(new URL('../../../src-main/store/index.ts', import.meta.url).pathname)}
    const store = openStore(${JSON.stringify(path)})
    warmReview(store)
    const probe = setInterval(() => {
      const set = store.reviewQueue.runsWithMargins().length
      if (set > 0) process.stdout.write('computing\\n')
    }, 5)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()))
  await new Promise((resolve) => setTimeout(resolve, 40)) // mid-run: some steps committed, one perhaps open
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  const db = new Database(path, { readonly: true })
  const through = db.prepare('SELECT max(through_prediction_id) FROM review_margin_sets').pluck().get() as number
  const last = db.prepare('SELECT max(id) FROM predictions').pluck().get() as number
  db.close()
  assert.ok(through < last, 'killed before the end')
  assertConsistent(path, runId)
  assertExactOrder(path, runId, sourceId)
})
