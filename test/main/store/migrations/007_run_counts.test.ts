// Migration 7 on a version-6 database with predictions of two runs: each run's prediction count
// and count with a gate are backfilled, then kept by triggers through inserts, replaced results,
// moves between runs and deletes — always equal to counting the predictions from scratch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'
import { tempDbPath } from '../fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')

function versionSixDatabase(): string {
  const path = tempDbPath()
  const db = openDatabase(path, MIGRATIONS.slice(0, 6))
  const images = Array.from({ length: 6 }, (_, k) => `(${k + 1}, 1, 'i${k}.jpg', 1, 1, '${sha(k + 1)}', 'done')`).join(', ')
  db.exec(`
    INSERT INTO sources (id, folder_path, added_at_ms) VALUES (1, '/line1', 1);
    INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, sha256, status) VALUES ${images};
    INSERT INTO model_sets (id, manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES (1, 'm', '1', '${'c'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (id, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, app_version, started_at_ms, status, source_id)
      VALUES (1, 1, '{}', 0.5, '["none"]', 'cpu', '0.1.0', 1000, 'done', 1), (2, 1, '{}', 0, '["none"]', 'cpu', '0.1.0', 2000, 'done', 1),
             (3, 1, '{}', 0.5, '["none"]', 'cpu', '0.1.0', 3000, 'running', 1);
    INSERT INTO predictions (id, run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms) VALUES
      (1, 1, 1, '${sha(1)}', 0.9, 1, '[]', 1), (2, 1, 2, '${sha(2)}', NULL, 1, '[]', 1), (3, 1, 3, '${sha(3)}', 0.2, 0, '[]', 1),
      (4, 2, 1, '${sha(1)}', NULL, 1, '[]', 2), (5, 2, 4, '${sha(4)}', NULL, 1, '[]', 2);
  `)
  db.close()
  return path
}

const kept = (db: Database.Database) => db.prepare('SELECT run_id, predictions, with_gate FROM run_prediction_counts WHERE predictions > 0 ORDER BY run_id').all()
const counted = (db: Database.Database) =>
  db.prepare('SELECT run_id, count(*) AS predictions, count(gate_probability) AS with_gate FROM predictions GROUP BY run_id ORDER BY run_id').all()

test('007 backfills each run\'s prediction count and its count with a gate probability', () => {
  const path = versionSixDatabase()
  openDatabase(path, MIGRATIONS.slice(0, 7)).close()
  const db = new Database(path)
  assert.deepEqual(kept(db), [
    { run_id: 1, predictions: 3, with_gate: 2 },
    { run_id: 2, predictions: 2, with_gate: 0 },
  ])
  assert.equal(db.pragma('user_version', { simple: true }), 7)
  db.close()
})

test('007 triggers keep the counts through inserts, replaced results, moves between runs and deletes', () => {
  const path = versionSixDatabase()
  openDatabase(path, MIGRATIONS.slice(0, 7)).close()
  const db = new Database(path)
  const steps = [
    `INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms)
       VALUES (3, 5, '${sha(5)}', 0.4, 0, '[]', 3), (3, 6, '${sha(6)}', NULL, 1, '[]', 3), (1, 4, '${sha(4)}', NULL, 1, '[]', 3)`,
    'UPDATE predictions SET gate_probability = 0.7 WHERE id = 2', // a gate where there was none
    'UPDATE predictions SET gate_probability = NULL WHERE id = 3', // and the other way
    'UPDATE predictions SET gate_probability = 0.1 WHERE id = 1', // another value: the counts stay
    'UPDATE predictions SET run_id = 3 WHERE id = 4',
    'DELETE FROM predictions WHERE image_id = 1',
    'DELETE FROM predictions WHERE run_id = 2',
  ]
  for (const step of steps) {
    db.exec(step)
    assert.deepEqual(kept(db), counted(db), step)
  }
  assert.deepEqual(kept(db), [
    { run_id: 1, predictions: 3, with_gate: 1 },
    { run_id: 3, predictions: 2, with_gate: 1 },
  ])
  assert.throws(() => db.exec('UPDATE run_prediction_counts SET with_gate = 9 WHERE run_id = 1'), /CHECK constraint failed/)
  db.close()
})
