// Migration 003 (jobs as rows, watched sources, arrivals) on a database at schema 001.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import * as initial from '../../../../src-main/store/migrations/001_initial.ts'
import { SQL, up } from '../../../../src-main/store/migrations/003_jobs.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'

function at001(): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  initial.up(db)
  return db
}

const insertJob = (db: Database.Database, state: string) =>
  db.prepare("INSERT INTO jobs (kind, folder_path, settings_json, state, created_at_ms, updated_at_ms) VALUES ('folder', '/x', '{}', ?, 1, 1) RETURNING id").get(state) as { id: number }

test('003 is registered after 001 and adds the jobs, watched_sources and arrivals tables, STRICT', () => {
  assert.ok(MIGRATIONS.findIndex((m) => m.name === '003_jobs') > MIGRATIONS.findIndex((m) => m.name === '001_initial'))
  const db = at001()
  up(db)
  const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('jobs', 'watched_sources', 'arrivals') ORDER BY name").all() as { name: string; strict: number }[]
  assert.deepEqual(tables, [{ name: 'arrivals', strict: 1 }, { name: 'jobs', strict: 1 }, { name: 'watched_sources', strict: 1 }])
  assert.throws(() => db.exec(SQL), /already exists/)
})

test('003: a job id is never reused, even after the newest row is gone', () => {
  const db = at001()
  up(db)
  insertJob(db, 'done')
  const second = insertJob(db, 'done')
  db.prepare('DELETE FROM jobs WHERE id = ?').run(second.id)
  assert.equal(insertJob(db, 'pending').id, second.id + 1)
})

test('003 refuses unknown job states and kinds, and settings that are not a JSON object', () => {
  const db = at001()
  up(db)
  assert.throws(() => insertJob(db, 'sleeping'), /CHECK constraint failed/)
  assert.doesNotThrow(() => insertJob(db, 'interrupted'))
  assert.throws(() => db.prepare("INSERT INTO jobs (kind, folder_path, settings_json, state, created_at_ms, updated_at_ms) VALUES ('batch', '/x', '{}', 'done', 1, 1)").run(), /CHECK/)
  assert.throws(() => db.prepare("INSERT INTO jobs (kind, folder_path, settings_json, state, created_at_ms, updated_at_ms) VALUES ('folder', '/x', '[1]', 'done', 1, 1)").run(), /CHECK/)
  assert.throws(() => db.prepare('INSERT INTO watched_sources (source_id, settings_json, since_ms) VALUES (9, ?, 1)').run('{}'), /FOREIGN KEY/)
})

test('003 sets runs left running by a dead process back to paused; finished runs keep their status', () => {
  const db = at001()
  db.exec(`INSERT INTO model_sets (manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms) VALUES ('m', '1', '${'a'.repeat(64)}', '[]', '[]', 1)`)
  const run = (status: string) =>
    (db.prepare("INSERT INTO runs (model_set_id, postprocess_json, tta_json, provider_requested, app_version, started_at_ms, status) VALUES (1, '{}', '[]', 'cpu', '0', 1, ?) RETURNING id").get(status) as { id: number }).id
  const running = run('running')
  const done = run('done')
  up(db)
  const status = (id: number) => (db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status
  assert.equal(status(running), 'paused')
  assert.equal(status(done), 'done')
})
