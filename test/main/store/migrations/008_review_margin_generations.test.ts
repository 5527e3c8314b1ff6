// Migration 008 on a version-6 database with margins: the old single-generation margins are dropped
// (derived data, computed again), the generation tables are there, and a replaced prediction moves
// back the mark of every live generation of its run but not of a retired one.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'
import { tempDbPath } from '../fixtures.ts'

const BEFORE = MIGRATIONS.findIndex((m) => m.name === '008_review_margin_generations')

test('008 replaces the margins with generations, and a replaced prediction is measured again', () => {
  const path = tempDbPath()
  const old = openDatabase(path, MIGRATIONS.slice(0, BEFORE))
  old.exec(`
    INSERT INTO sources (id, folder_path, added_at_ms) VALUES (1, '/line1', 1);
    INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, status) VALUES (1, 1, 'a.jpg', 1, 1, 'done'), (2, 1, 'b.jpg', 1, 1, 'done');
    INSERT INTO model_sets (id, manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES (1, 'm', '1', '${'c'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (id, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, app_version, started_at_ms, status, source_id)
      VALUES (1, 1, '{}', 0.5, '["none"]', 'cpu', '0.1.0', 1000, 'done', 1);
    INSERT INTO predictions (id, run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms)
      VALUES (10, 1, 1, '${'a'.repeat(64)}', 0.7, 1, '[]', 1), (11, 1, 2, '${'b'.repeat(64)}', 0.2, 0, '[]', 1);
    INSERT INTO review_margins (run_id, image_id, margin) VALUES (1, 1, 0.2), (1, 2, 0.3);
    INSERT INTO review_margin_profiles (run_id, profile_json, through_prediction_id) VALUES (1, '{}', 11);`)
  old.close()
  const db = openDatabase(path)
  assert.equal(db.prepare('SELECT count(*) FROM review_margins').pluck().get(), 0)
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'review_margin_profiles'").pluck().get(), 0)
  db.exec(`INSERT INTO review_margin_sets (run_id, generation, profile_json, through_prediction_id, state) VALUES
    (1, 1, '{}', 11, 'retired'), (1, 2, '{"a":1}', 11, 'served'), (1, 3, '{"a":2}', 11, 'building')`)
  assert.throws(() => db.exec(`INSERT INTO review_margin_sets VALUES (1, 4, '{}', 0, 'served')`), /UNIQUE/, 'one served generation per run')
  db.exec("UPDATE predictions SET gate_probability = 0.9 WHERE id = 11")
  assert.deepEqual(db.prepare('SELECT generation, through_prediction_id FROM review_margin_sets ORDER BY generation').raw().all(), [[1, 11], [2, 10], [3, 10]])
  db.close()
  assert.ok(new Database(path).pragma('user_version', { simple: true }) as number >= BEFORE + 1)
})

test('a migration that names its tables has them checked for broken foreign keys before it commits', () => {
  const path = tempDbPath()
  openDatabase(path).close()
  const breaking = {
    version: MIGRATIONS.length + 1,
    name: 'breaks_a_margin_set',
    checkTables: ['review_margin_sets'],
    up: (db: Database.Database) => {
      db.pragma('defer_foreign_keys = ON')
      db.exec(`INSERT INTO review_margin_sets VALUES (999, 1, '{}', 0, 'served')`)
    },
  }
  assert.throws(() => openDatabase(path, [...MIGRATIONS, breaking]), /migration left 1 broken foreign key/)
  const db = new Database(path)
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length, 'nothing of it committed')
  db.close()
})
