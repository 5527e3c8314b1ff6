// Migration 2 on a version-1 database with data: a run shared by two folders is split so each
// folder's run and run times are its own, predictions and model masks follow their folder, and
// the kept rows (latest run, status counts, defect area and classes) equal what the version-1
// queries computed from scratch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'
import { openStore } from '../../../../src-main/store/index.ts'
import { tempDbPath } from '../fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')
const stats = (areas: number[]) => JSON.stringify(areas.map((a, c) => ({ classId: c + 1, areaImagePx: a, maxProbability: 0.9, disagreement: null })))

/** Version 1: two folders inspected by one shared run (at different times), then a forced run on one image. */
function versionOneDatabase(): string {
  const path = tempDbPath()
  const db = openDatabase(path, MIGRATIONS.slice(0, 1))
  db.exec(`
    INSERT INTO sources (id, folder_path, added_at_ms) VALUES (1, '/line1', 1), (2, '/line2', 2);
    INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, sha256, status) VALUES
      (1, 1, 'a.jpg', 1, 1, '${sha(1)}', 'done'), (2, 1, 'b.jpg', 1, 1, '${sha(2)}', 'done'),
      (3, 1, 'c.jpg', 1, 1, NULL, 'failed'), (4, 2, 'x.jpg', 1, 1, '${sha(4)}', 'done'),
      (5, 2, 'y.jpg', 1, 1, '${sha(5)}', 'pending'), (6, 2, 'z.jpg', 1, 1, '${sha(6)}', 'done');
    INSERT INTO model_sets (id, manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES (1, 'm', '1', '${'c'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (id, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, app_version, started_at_ms, finished_at_ms, status)
      VALUES (1, 1, '{}', 0.5, '["none"]', 'cpu', '0.1.0', 1000, 9000, 'done'),
             (2, 1, '{}', 0, '["none"]', 'cpu', '0.1.0', 9500, 9600, 'done'),
             (3, 1, '{}', 0.7, '["none"]', 'cpu', '0.1.0', 9700, NULL, 'running');
    INSERT INTO predictions (id, run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms) VALUES
      (1, 1, 1, '${sha(1)}', 0.9, 1, '${stats([0, 0, 500, 0])}', 1100),
      (2, 1, 2, '${sha(2)}', 0.1, 0, '${stats([0, 0, 0, 0])}', 1200),
      (3, 1, 4, '${sha(4)}', 0.8, 1, '${stats([100, 0, 40, 0])}', 5000),
      (4, 1, 6, '${sha(6)}', 0.95, 1, '${stats([0, 3000, 0, 0])}', 5100),
      (5, 2, 2, '${sha(2)}', 0.1, 1, '${stats([0, 0, 0, 7])}', 9550);
    INSERT INTO masks (image_id, run_id, class_id, rle, origin, revision, created_at_ms) VALUES
      (1, 1, 3, '1 500', 'model', 1, 1100), (4, 1, 1, '1 100', 'model', 1, 5000), (4, 1, 3, '1 40', 'model', 2, 5000),
      (6, 1, 2, '1 3000', 'model', 1, 5100), (6, NULL, 2, '1 10', 'human', 2, 6000);
    INSERT INTO settings (key, value_json, updated_at_ms) VALUES ('runProfile:1', '"night shift"', 1);
  `)
  db.close()
  return path
}

const V1_LATEST_RUN = `SELECT p.run_id FROM predictions p JOIN images i ON i.id = p.image_id JOIN runs r ON r.id = p.run_id
  WHERE i.source_id = ? ORDER BY r.gate_threshold IS 0, p.id DESC LIMIT 1`

test('002 splits a run shared by two folders: each part has its folder, its predictions, its model masks and its own times', () => {
  const path = versionOneDatabase()
  openDatabase(path, MIGRATIONS.slice(0, 2)).close() // this migration alone (a later one pauses running runs)
  const db = new Database(path)
  const runs = db.prepare('SELECT id, source_id, started_at_ms, finished_at_ms, status FROM runs ORDER BY id').all()
  assert.deepEqual(runs, [
    { id: 1, source_id: 1, started_at_ms: 1100, finished_at_ms: 1200, status: 'done' },
    { id: 2, source_id: 1, started_at_ms: 9500, finished_at_ms: 9600, status: 'done' }, // one folder: times kept
    { id: 3, source_id: null, started_at_ms: 9700, finished_at_ms: null, status: 'running' }, // no results: no folder
    { id: 4, source_id: 2, started_at_ms: 5000, finished_at_ms: 5100, status: 'done' },
  ])
  const runOf = db.prepare('SELECT p.image_id, p.run_id FROM predictions p ORDER BY p.id').all()
  assert.deepEqual(runOf, [
    { image_id: 1, run_id: 1 },
    { image_id: 2, run_id: 1 },
    { image_id: 4, run_id: 4 },
    { image_id: 6, run_id: 4 },
    { image_id: 2, run_id: 2 },
  ])
  const masks = db.prepare('SELECT image_id, run_id, origin FROM masks ORDER BY id').all()
  assert.deepEqual(masks, [
    { image_id: 1, run_id: 1, origin: 'model' },
    { image_id: 4, run_id: 4, origin: 'model' },
    { image_id: 4, run_id: 4, origin: 'model' },
    { image_id: 6, run_id: 4, origin: 'model' },
    { image_id: 6, run_id: null, origin: 'human' },
  ])
  assert.equal(db.prepare("SELECT value_json FROM settings WHERE key = 'runProfile:4'").pluck().get(), '"night shift"', 'the applied profile follows the split')
  assert.deepEqual(db.pragma('foreign_key_check'), [])
  assert.throws(() => db.exec('UPDATE masks SET rle = 1'), /append-only/, 'masks are append-only again')
  assert.equal(db.pragma('user_version', { simple: true }), 2)
})

test('002 backfills the latest run, the status counts and each prediction\'s defect area and classes; the triggers keep them', () => {
  const path = versionOneDatabase()
  const v1 = new Database(path)
  const expectedLatest = [1, 2].map((source) => v1.prepare(V1_LATEST_RUN).pluck().get(source))
  v1.close()
  const store = openStore(path)
  // Source 1's newest prediction is the forced run's: its latest stays the full run, as in version 1.
  assert.deepEqual([1, 2].map((source) => store.imageTable.latestRunId(source)), [expectedLatest[0], 4])
  assert.equal(expectedLatest[1], 1, 'version 1 showed the shared run for the second folder')
  assert.deepEqual(store.imageTable.statusCounts(), [
    { sourceId: 1, status: 'done', count: 2 },
    { sourceId: 1, status: 'failed', count: 1 },
    { sourceId: 2, status: 'done', count: 2 },
    { sourceId: 2, status: 'pending', count: 1 },
  ])
  store.close()
  const db = new Database(path)
  assert.deepEqual(db.prepare('SELECT id, defect_area_px, class_mask FROM predictions ORDER BY id').all(), [
    { id: 1, defect_area_px: 500, class_mask: 0b0100 },
    { id: 2, defect_area_px: 0, class_mask: 0 },
    { id: 3, defect_area_px: 140, class_mask: 0b0101 },
    { id: 4, defect_area_px: 3000, class_mask: 0b0010 },
    { id: 5, defect_area_px: 7, class_mask: 0b1000 },
  ])
  db.exec(`UPDATE images SET status = 'done' WHERE id = 5;
    INSERT INTO images (source_id, relative_path, byte_size, mtime_ms, status) VALUES (1, 'd.jpg', 1, 1, 'pending');
    INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms)
      VALUES (3, 5, '${sha(5)}', 0.2, 0, '[]', 9800);`)
  assert.deepEqual(db.prepare('SELECT source_id, status, count FROM source_status_counts WHERE count > 0 ORDER BY 1, 2').all(), [
    { source_id: 1, status: 'done', count: 2 },
    { source_id: 1, status: 'failed', count: 1 },
    { source_id: 1, status: 'pending', count: 1 },
    { source_id: 2, status: 'done', count: 3 },
  ])
  assert.equal(db.prepare('SELECT run_id FROM source_latest_runs WHERE source_id = 2').pluck().get(), 3, 'a newer run becomes the latest')
  db.exec(`INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms)
    VALUES (2, 1, '${sha(1)}', 0.2, 1, '[]', 9900);`)
  assert.equal(db.prepare('SELECT run_id FROM source_latest_runs WHERE source_id = 1').pluck().get(), 1, 'a forced run never is')
})
