// Migration 004 on a schema-1 database: coil tables, STRICT, with ordering, membership, and
// append-only rule sets and decisions enforced by the database itself.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { up as initial } from '../../../../src-main/store/migrations/001_initial.ts'
import { up } from '../../../../src-main/store/migrations/004_coils.ts'

function migrated(): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  initial(db)
  db.exec(`
    INSERT INTO sources (folder_path, added_at_ms) VALUES ('/line', 1);
    INSERT INTO images (source_id, relative_path, byte_size, mtime_ms) VALUES (1, 'C1/a.jpg', 1, 1), (1, 'C1/b.jpg', 1, 1);
    INSERT INTO model_sets (manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES ('m', '1', '${'a'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (model_set_id, postprocess_json, tta_json, provider_requested, app_version, started_at_ms)
      VALUES (1, '{}', '[]', 'cpu', '0', 1);`)
  up(db)
  return db
}

const decision = `INSERT INTO coil_decisions (coil_id, run_id, rule_set_id, proposal_json, proposed, action, disposition, note, author, created_at_ms)
  VALUES (1, 1, 1, '{}', ?, ?, ?, ?, 'ana', 5)`

test('004 adds the coil tables, all STRICT', () => {
  const db = migrated()
  const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name LIKE 'coil%' OR name = 'rule_sets' ORDER BY name").all() as {
    name: string
    strict: number
  }[]
  assert.deepEqual(tables.map((t) => t.name), ['coil_decisions', 'coil_images', 'coil_settings', 'coils', 'rule_sets'])
  for (const t of tables) assert.equal(t.strict, 1, t.name)
})

test('004: an image belongs to one coil at one place; a coil name is unique in its source', () => {
  const db = migrated()
  db.exec("INSERT INTO coils (source_id, name, length_mm, width_mm, updated_at_ms) VALUES (1, 'C1', 3200, 256, 1), (1, 'C2', 0, 0, 1)")
  const member = db.prepare('INSERT INTO coil_images (coil_id, seq, image_id, position_mm) VALUES (?, ?, ?, ?)')
  member.run(1, 0, 1, 0)
  assert.throws(() => member.run(1, 0, 2, 1600), /UNIQUE constraint failed: coil_images.coil_id, coil_images.seq/)
  assert.throws(() => member.run(2, 0, 1, 0), /UNIQUE constraint failed: coil_images.image_id/)
  assert.throws(() => member.run(1, 1, 99, 0), /FOREIGN KEY constraint failed/)
  assert.throws(() => member.run(1, 1, 2, -1), /CHECK constraint failed/)
  assert.throws(() => db.exec("INSERT INTO coils (source_id, name, length_mm, width_mm, updated_at_ms) VALUES (1, 'C1', 0, 0, 1)"), /UNIQUE/)
})

test('004: rule sets and decisions are append-only; a confirmation takes the proposal, an override needs another outcome and a note', () => {
  const db = migrated()
  db.exec("INSERT INTO coils (source_id, name, length_mm, width_mm, updated_at_ms) VALUES (1, 'C1', 3200, 256, 1)")
  db.exec("INSERT INTO rule_sets (name, version, rules_json, created_at_ms) VALUES ('plant', 1, '{}', 1)")
  assert.throws(() => db.exec("INSERT INTO rule_sets (name, version, rules_json, created_at_ms) VALUES ('plant', 1, '{}', 2)"), /UNIQUE/)
  assert.throws(() => db.exec("UPDATE rule_sets SET rules_json = '{}'"), /append-only/)
  const add = db.prepare(decision)
  add.run('reject', 'confirm', 'reject', '')
  add.run('reject', 'override', 'downgrade', 'only the edge; trim it')
  assert.throws(() => add.run('reject', 'confirm', 'accept', ''), /CHECK constraint failed/)
  assert.throws(() => add.run('reject', 'override', 'accept', ''), /CHECK constraint failed/)
  assert.throws(() => add.run('reject', 'override', 'reject', 'same'), /CHECK constraint failed/)
  assert.throws(() => add.run('scrap', 'confirm', 'scrap', ''), /CHECK constraint failed/)
  assert.throws(() => db.exec("UPDATE coil_decisions SET note = 'x'"), /append-only/)
  assert.throws(() => db.exec('DELETE FROM coil_decisions'), /append-only/)
  assert.equal(db.prepare('SELECT count(*) FROM coil_decisions').pluck().get(), 2)
})

test('004: settings hold JSON objects or nothing', () => {
  const db = migrated()
  db.exec(`INSERT INTO coil_settings (source_id, grouping_json, geometry_json, updated_at_ms) VALUES (1, '{"kind":"single"}', NULL, 1)`)
  assert.throws(() => db.exec("UPDATE coil_settings SET geometry_json = '[1]'"), /CHECK constraint failed/)
  assert.throws(() => db.exec("INSERT INTO coil_settings (source_id, updated_at_ms) VALUES (7, 1)"), /FOREIGN KEY/)
})
