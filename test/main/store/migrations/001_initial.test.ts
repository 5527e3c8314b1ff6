// Migration 1 on an empty database: the tables of docs/store.md, STRICT, with their constraints.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { SQL, up } from '../../../../src-main/store/migrations/001_initial.ts'

const EXPECTED_COLUMNS: Record<string, string[]> = {
  sources: ['id', 'folder_path', 'added_at_ms'],
  images: ['id', 'source_id', 'relative_path', 'byte_size', 'mtime_ms', 'sha256', 'width', 'height', 'status', 'error', 'warning'],
  model_sets: ['id', 'manifest_id', 'version', 'manifest_sha256', 'members_json', 'classes_json', 'registered_at_ms'],
  runs: [
    'id', 'model_set_id', 'postprocess_json', 'gate_threshold', 'tta_json', 'provider_requested', 'provider_used',
    'provider_fallback_reason', 'app_version', 'ort_version', 'started_at_ms', 'finished_at_ms', 'status',
  ],
  predictions: [
    'id', 'run_id', 'image_id', 'image_sha256', 'gate_probability', 'gate_passed', 'class_stats_json', 'prob_maps',
    'prob_maps_codec', 'prob_map_height', 'prob_map_width', 'prob_map_classes', 'created_at_ms',
  ],
  masks: ['id', 'image_id', 'run_id', 'class_id', 'rle', 'origin', 'revision', 'created_at_ms'],
  edits: ['id', 'image_id', 'class_id', 'before_rle', 'after_rle', 'mask_id', 'tool', 'author', 'created_at_ms'],
  reviews: ['id', 'image_id', 'status', 'author', 'note', 'created_at_ms'],
  settings: ['key', 'value_json', 'updated_at_ms'],
}

function migrated(): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  up(db)
  return db
}

test('001 creates exactly the expected tables, all STRICT, with the expected columns', () => {
  const db = migrated()
  const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
    name: string
    strict: number
  }[]
  assert.deepEqual(tables.map((t) => t.name), Object.keys(EXPECTED_COLUMNS).sort())
  for (const table of tables) {
    assert.equal(table.strict, 1, `${table.name} is STRICT`)
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table.name) as { name: string }[]).map((c) => c.name)
    assert.deepEqual(columns, EXPECTED_COLUMNS[table.name], table.name)
  }
})

test('001 is plain SQL that applies once (a second application fails, it is not IF NOT EXISTS-tolerant)', () => {
  const db = migrated()
  assert.throws(() => db.exec(SQL), /already exists/)
})

test('001 enforces foreign keys', () => {
  const db = migrated()
  assert.throws(
    () => db.prepare("INSERT INTO images (source_id, relative_path, byte_size, mtime_ms) VALUES (99, 'x.jpg', 1, 1)").run(),
    /FOREIGN KEY constraint failed/,
  )
})

test('001: STRICT refuses a wrongly typed value; CHECKs refuse unknown enum values and malformed hashes', () => {
  const db = migrated()
  db.prepare("INSERT INTO sources (folder_path, added_at_ms) VALUES ('/d', 1)").run()
  const image = db.prepare('INSERT INTO images (source_id, relative_path, byte_size, mtime_ms, sha256, status) VALUES (1, ?, 1, 1, ?, ?)')
  assert.throws(() => db.prepare("INSERT INTO sources (folder_path, added_at_ms) VALUES ('/e', 'yesterday')").run(), /cannot store TEXT value in INTEGER column/)
  assert.throws(() => image.run('a.jpg', 'a'.repeat(64), 'finished'), /CHECK constraint failed/)
  assert.throws(() => image.run('b.jpg', 'A'.repeat(64), 'done'), /CHECK constraint failed/)
  assert.throws(() => image.run('c.jpg', 'a'.repeat(63), 'done'), /CHECK constraint failed/)
  image.run('d.jpg', 'a'.repeat(64), 'done')
  assert.throws(() => db.prepare("INSERT INTO settings (key, value_json, updated_at_ms) VALUES ('k', '{oops', 1)").run(), /CHECK constraint failed/)
  assert.throws(
    () => db.prepare("INSERT INTO reviews (image_id, status, author, created_at_ms) VALUES (1, 'approved', 'ana', 1)").run(),
    /CHECK constraint failed/,
  )
})

test('001: predictions are unique per (run, image) and carry maps all-or-nothing', () => {
  const db = migrated()
  db.exec(`
    INSERT INTO sources (folder_path, added_at_ms) VALUES ('/d', 1);
    INSERT INTO images (source_id, relative_path, byte_size, mtime_ms) VALUES (1, 'a.jpg', 1, 1);
    INSERT INTO model_sets (manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES ('m', '1', '${'c'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (model_set_id, postprocess_json, tta_json, provider_requested, app_version, started_at_ms)
      VALUES (1, '{}', '[]', 'cpu', '0.1.0', 1);`)
  const insert = db.prepare(
    `INSERT INTO predictions (run_id, image_id, image_sha256, gate_passed, class_stats_json, prob_maps, prob_maps_codec,
       prob_map_height, prob_map_width, prob_map_classes, created_at_ms) VALUES (1, 1, ?, 1, '[]', ?, ?, ?, 2, 1, 1)`,
  )
  assert.throws(() => insert.run('a'.repeat(64), Buffer.from([1]), 'zstd', null), /CHECK constraint failed/)
  insert.run('a'.repeat(64), Buffer.from([1]), 'zstd', 2)
  assert.throws(() => insert.run('a'.repeat(64), Buffer.from([1]), 'zstd', 2), /UNIQUE constraint failed: predictions.run_id, predictions.image_id/)
})

test('001: edits and reviews refuse UPDATE and DELETE; masks refuse UPDATE and deleting human rows', () => {
  const db = migrated()
  db.exec(`
    INSERT INTO sources (folder_path, added_at_ms) VALUES ('/d', 1);
    INSERT INTO images (source_id, relative_path, byte_size, mtime_ms) VALUES (1, 'a.jpg', 1, 1);
    INSERT INTO masks (image_id, class_id, rle, origin, revision, created_at_ms) VALUES (1, 1, '1 2', 'human', 1, 1);
    INSERT INTO edits (image_id, class_id, before_rle, after_rle, mask_id, tool, author, created_at_ms)
      VALUES (1, 1, '', '1 2', 1, 'brush', 'ana', 1);
    INSERT INTO reviews (image_id, status, author, created_at_ms) VALUES (1, 'accepted', 'ana', 1);`)
  assert.throws(() => db.exec("UPDATE edits SET author = 'eve'"), /edits is append-only/)
  assert.throws(() => db.exec('DELETE FROM edits'), /edits is append-only/)
  assert.throws(() => db.exec("UPDATE reviews SET status = 'rejected'"), /reviews is append-only/)
  assert.throws(() => db.exec('DELETE FROM reviews'), /reviews is append-only/)
  assert.throws(() => db.exec("UPDATE masks SET rle = ''"), /masks are append-only/)
  assert.throws(() => db.exec('DELETE FROM masks'), /human masks cannot be deleted/)
  assert.equal(db.prepare("SELECT count(*) FROM edits WHERE author = 'ana'").pluck().get(), 1)
  assert.equal(db.prepare("SELECT rle FROM masks").pluck().get(), '1 2')
  // A model mask needs its run.
  assert.throws(
    () => db.exec("INSERT INTO masks (image_id, class_id, rle, origin, revision, created_at_ms) VALUES (1, 2, '', 'model', 1, 1)"),
    /CHECK constraint failed/,
  )
})
