// Migration 005 on a version-4 database with profiles in the settings: the saved profiles become
// version 1 of each name, the runs' applied profiles become rows of the run log, a run with the
// gate forced open becomes a 'forced' run, and the new tables refuse updates and deletes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'
import { CARRIED_AUTHOR } from '../../../../src-main/store/migrations/005_profiles.ts'
import { openStore } from '../../../../src-main/store/index.ts'
import { profileForRun } from '../../../../src-main/review/index.ts'
import { tempDbPath } from '../fixtures.ts'

const sha = (n: number) => n.toString(16).padStart(64, '0')
const night = { name: 'night shift', gate: 0.6, upper: [0.8, 0.8], lower: [0.5, 0.5], minAreaModelPx: [10, 20] }
const loose = { name: 'loose', gate: null, upper: [0.3, 0.3], lower: [0.2, 0.2], minAreaModelPx: [0, 0] }

function versionFourDatabase(profiles: unknown[]): string {
  const path = tempDbPath()
  const db = openDatabase(path, MIGRATIONS.slice(0, 4))
  db.exec(`
    INSERT INTO sources (id, folder_path, added_at_ms) VALUES (1, '/line1', 1);
    INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, sha256, status) VALUES (1, 1, 'a.jpg', 1, 1, '${sha(1)}', 'done');
    INSERT INTO model_sets (id, manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES (1, 'm', '1', '${'c'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (id, source_id, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, app_version, started_at_ms, status)
      VALUES (1, 1, 1, '{"upper":[0.7,0.7],"lower":[0.4,0.4],"minArea":[1,1]}', 0.5, '["none"]', 'cpu', '0.1.0', 1000, 'done'),
             (2, 1, 1, '{"upper":[0.7,0.7],"lower":[0.4,0.4],"minArea":[1,1]}', 0, '["none"]', 'cpu', '0.1.0', 2000, 'done'),
             (3, 1, 1, '{"upper":[0.7,0.7],"lower":[0.4,0.4],"minArea":[1,1]}', NULL, '["none"]', 'cpu', '0.1.0', 3000, 'done');
  `)
  const setting = db.prepare('INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)')
  setting.run('thresholdProfiles', JSON.stringify(profiles), 77)
  setting.run('runProfile:1', '"night shift"', 88)
  setting.run('runProfile:3', '"gone"', 89) // names a profile that no longer exists: left as it was
  setting.run('runProfile:9', '"loose"', 90) // names a run that does not exist: left as it was
  setting.run('authorName', '"ana"', 5)
  db.close()
  return path
}

test('005 carries saved profiles and applied profiles over, and removes the keys it carried', () => {
  const path = versionFourDatabase([night, loose])
  openDatabase(path, MIGRATIONS).close()
  const db = new Database(path)
  const rows = db.prepare('SELECT name, version, content_json, author, created_at_ms FROM threshold_profiles ORDER BY id').all() as { name: string; version: number; content_json: string; author: string; created_at_ms: number }[]
  assert.deepEqual(rows.map((r) => [r.name, r.version, r.author, r.created_at_ms]), [['night shift', 1, CARRIED_AUTHOR, 77], ['loose', 1, CARRIED_AUTHOR, 77]])
  assert.deepEqual(JSON.parse(rows[0].content_json), { gate: 0.6, upper: [0.8, 0.8], lower: [0.5, 0.5], minAreaModelPx: [10, 20] })
  assert.deepEqual(db.prepare('SELECT run_id, profile_id, created_at_ms FROM run_profiles').all(), [{ run_id: 1, profile_id: 1, created_at_ms: 88 }])
  const keys = db.prepare('SELECT key FROM settings ORDER BY key').pluck().all()
  assert.deepEqual(keys, ['authorName', 'runProfile:3', 'runProfile:9'])
  db.close()
  const store = openStore(path)
  assert.deepEqual(profileForRun(store, 1), { ...night, version: 1 })
  assert.equal(profileForRun(store, 3).name, 'run defaults')
  store.close()
})

test('005 keeps a saved-profiles setting it cannot read in full, and carries the entries it can', () => {
  const path = versionFourDatabase([night, { name: 'broken', upper: 'high' }])
  openDatabase(path, MIGRATIONS).close()
  const db = new Database(path)
  assert.deepEqual(db.prepare('SELECT name FROM threshold_profiles').pluck().all(), ['night shift'])
  assert.equal(JSON.parse(db.prepare("SELECT value_json FROM settings WHERE key = 'thresholdProfiles'").pluck().get() as string).length, 2)
  db.close()
})

test('005 makes a run with the gate forced open a forced run, and the latest-run rule reads the kind', () => {
  const path = versionFourDatabase([])
  openDatabase(path, MIGRATIONS).close()
  const db = new Database(path)
  assert.deepEqual(db.prepare('SELECT id, kind FROM runs ORDER BY id').all(), [{ id: 1, kind: 'gated' }, { id: 2, kind: 'forced' }, { id: 3, kind: 'gated' }])
  assert.throws(() => db.exec("UPDATE runs SET kind = 'bench' WHERE id = 1"), /CHECK constraint failed/)
  const predict = db.prepare(`INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, created_at_ms) VALUES (?, 1, '${sha(1)}', 0.9, 1, '[]', 1)`)
  predict.run(1)
  predict.run(2) // forced: newer, but does not replace the source's latest gated run
  assert.deepEqual(db.prepare('SELECT run_id, is_forced FROM source_latest_runs').get(), { run_id: 1, is_forced: 0 })
  db.close()
})

test('005: profile versions and run choices are append-only; a name has each version once', () => {
  const path = versionFourDatabase([night])
  openDatabase(path, MIGRATIONS).close()
  const db = new Database(path)
  db.pragma('foreign_keys = ON')
  const strict = db.prepare("SELECT name, strict FROM pragma_table_list WHERE name IN ('threshold_profiles', 'run_profiles', 'source_model_decisions') ORDER BY name").all()
  assert.deepEqual(strict, [{ name: 'run_profiles', strict: 1 }, { name: 'source_model_decisions', strict: 1 }, { name: 'threshold_profiles', strict: 1 }])
  assert.throws(() => db.exec("UPDATE threshold_profiles SET content_json = '{}'"), /append-only/)
  assert.throws(() => db.exec('DELETE FROM threshold_profiles'), /append-only/)
  assert.throws(() => db.exec('DELETE FROM run_profiles'), /append-only/)
  assert.throws(() => db.exec("INSERT INTO threshold_profiles (name, version, content_json, author, created_at_ms) VALUES ('night shift', 1, '{}', 'x', 1)"), /UNIQUE/)
  assert.throws(() => db.exec("INSERT INTO threshold_profiles (name, version, content_json, author, created_at_ms) VALUES ('x', 1, '[]', 'x', 1)"), /CHECK/)
  assert.throws(() => db.exec("INSERT INTO run_profiles (run_id, profile_id, author, created_at_ms) VALUES (1, 99, 'x', 1)"), /FOREIGN KEY/)
  const decide = db.prepare(`INSERT INTO source_model_decisions (source_id, model_set_id, run_id, compared_run_id, profile_id, summary_json, note, author, created_at_ms)
    VALUES (1, 1, 3, 1, NULL, '{}', ?, 'ana', 1)`)
  decide.run('B finds the cracks A misses')
  assert.throws(() => decide.run(''), /CHECK/, 'a decision says why')
  assert.throws(() => db.exec("UPDATE source_model_decisions SET note = 'x'"), /append-only/)
  assert.throws(() => db.exec('DELETE FROM source_model_decisions'), /append-only/)
  db.close()
})
