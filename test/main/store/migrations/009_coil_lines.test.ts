// Migration 009 on a version-8 database with coils: the stored coil lines are there, empty, and a
// line belongs to its coil — it cannot name a missing coil, and it goes when its coil is regrouped away.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'
import { openStore } from '../../../../src-main/store/index.ts'
import { tempDbPath } from '../fixtures.ts'

const BEFORE = MIGRATIONS.findIndex((m) => m.name === '009_coil_lines')

test('009 adds the stored coil lines; a line names an existing coil and goes with it', () => {
  const path = tempDbPath()
  const old = openDatabase(path, MIGRATIONS.slice(0, BEFORE))
  old.exec(`
    INSERT INTO sources (id, folder_path, added_at_ms) VALUES (1, '/line1', 1);
    INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, status, width, height)
      VALUES (1, 1, 'a.jpg', 1, 1, 'done', 1600, 256), (2, 1, 'b.jpg', 1, 1, 'done', 1600, 256);
    INSERT INTO coils (id, source_id, name, length_mm, width_mm, updated_at_ms) VALUES (1, 1, 'A', 1600, 256, 1), (2, 1, 'B', 1600, 256, 1);
    INSERT INTO coil_images (coil_id, seq, image_id, position_mm) VALUES (1, 0, 1, 0), (2, 0, 2, 0);`)
  old.close()

  const store = openStore(path)
  assert.equal(store.schemaVersion, BEFORE + 1)
  assert.deepEqual(store.coilLines.forSource(1), new Map())
  store.coilLines.save(new Map([[1, { fingerprint: 'a1', lineJson: '{"name":"A"}' }], [2, { fingerprint: 'b1', lineJson: '{"name":"B"}' }]]))
  store.coilLines.save(new Map([[1, { fingerprint: 'a2', lineJson: '{"name":"A","again":true}' }]]))
  assert.deepEqual(store.coilLines.forSource(1), new Map([[1, { fingerprint: 'a2', lineJson: '{"name":"A","again":true}' }], [2, { fingerprint: 'b1', lineJson: '{"name":"B"}' }]]))
  assert.throws(() => store.coilLines.save(new Map([[99, { fingerprint: 'x', lineJson: '{}' }]])), /FOREIGN KEY/, 'no line of a missing coil')
  assert.throws(() => store.coilLines.save(new Map([[1, { fingerprint: 'x', lineJson: 'not json' }]])), /CHECK/)

  // Image b moves to coil A: coil B is left empty and removed, and its line with it.
  store.coils.replace(1, [{ name: 'A', lengthMm: 3200, widthMm: 256, images: [{ imageId: 1, positionMm: 0 }, { imageId: 2, positionMm: 1600 }] }])
  assert.deepEqual([...store.coilLines.forSource(1).keys()], [1])
  const db = new Database(path)
  assert.equal(db.prepare('SELECT count(*) FROM coil_lines WHERE coil_id = 2').pluck().get(), 0)
  db.close()
  store.close()
})
