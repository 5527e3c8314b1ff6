// Migration 6 on a version-4 database with reviews and mask revisions: each image's review status
// and edited classes are backfilled from the logs, then kept by triggers as reviews and mask
// revisions are appended (a class handed back to the model is no longer edited).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../../src-main/store/migrations/index.ts'
import { tempDbPath } from '../fixtures.ts'

function versionFourDatabase(): string {
  const path = tempDbPath()
  const db = openDatabase(path, MIGRATIONS.slice(0, 4))
  db.exec(`
    INSERT INTO sources (id, folder_path, added_at_ms) VALUES (1, '/line1', 1);
    INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, status) VALUES
      (1, 1, 'a.jpg', 1, 1, 'done'), (2, 1, 'b.jpg', 1, 1, 'done'), (3, 1, 'c.jpg', 1, 1, 'done'), (4, 1, 'd.jpg', 1, 1, 'done');
    INSERT INTO model_sets (id, manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
      VALUES (1, 'm', '1', '${'c'.repeat(64)}', '[]', '[]', 1);
    INSERT INTO runs (id, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, app_version, started_at_ms, status, source_id)
      VALUES (1, 1, '{}', 0.5, '["none"]', 'cpu', '0.1.0', 1000, 'done', 1);
    INSERT INTO reviews (image_id, status, author, created_at_ms) VALUES
      (1, 'flagged', 'ana', 1), (1, 'accepted', 'ana', 2), (2, 'rejected', 'bo', 3), (3, 'flagged', 'bo', 4);
    INSERT INTO masks (image_id, run_id, class_id, rle, origin, revision, created_at_ms) VALUES
      (1, 1, 3, '1 5', 'model', 1, 1), (1, NULL, 3, '1 9', 'human', 2, 2),
      (2, 1, 1, '1 5', 'model', 1, 1), (2, NULL, 1, '1 9', 'human', 2, 2), (2, 1, 1, '1 5', 'model', 3, 3),
      (3, NULL, 2, '1 9', 'human', 1, 1), (3, NULL, 4, '1 9', 'human', 1, 1);
  `)
  db.close()
  return path
}

const state = (db: Database.Database) =>
  db.prepare('SELECT id, review_status, edited_class_mask FROM images ORDER BY id').all() as { id: number; review_status: string; edited_class_mask: number }[]

test('006 backfills each image\'s latest review status and the classes whose current mask is human', () => {
  const path = versionFourDatabase()
  openDatabase(path, MIGRATIONS.slice(0, 6)).close()
  const db = new Database(path)
  assert.deepEqual(state(db), [
    { id: 1, review_status: 'accepted', edited_class_mask: 0b100 }, // the latest review counts
    { id: 2, review_status: 'rejected', edited_class_mask: 0 }, // reverted to the model after the edit
    { id: 3, review_status: 'flagged', edited_class_mask: 0b1010 },
    { id: 4, review_status: 'unreviewed', edited_class_mask: 0 },
  ])
  assert.equal(db.pragma('user_version', { simple: true }), 6)
})

test('006 triggers keep the state as reviews and mask revisions are appended', () => {
  const path = versionFourDatabase()
  openDatabase(path, MIGRATIONS.slice(0, 6)).close()
  const db = new Database(path)
  db.exec(`INSERT INTO reviews (image_id, status, author, created_at_ms) VALUES (4, 'flagged', 'ana', 9), (1, 'unreviewed', 'ana', 9);
    INSERT INTO masks (image_id, run_id, class_id, rle, origin, revision, created_at_ms) VALUES
      (4, NULL, 2, '1 3', 'human', 1, 9), (1, 1, 3, '1 5', 'model', 3, 9), (3, NULL, 2, '1 4', 'human', 2, 9);`)
  assert.deepEqual(state(db), [
    { id: 1, review_status: 'unreviewed', edited_class_mask: 0 },
    { id: 2, review_status: 'rejected', edited_class_mask: 0 },
    { id: 3, review_status: 'flagged', edited_class_mask: 0b1010 },
    { id: 4, review_status: 'flagged', edited_class_mask: 0b10 },
  ])
  assert.throws(() => db.exec("UPDATE images SET review_status = 'maybe' WHERE id = 1"), /CHECK constraint failed/)
})
