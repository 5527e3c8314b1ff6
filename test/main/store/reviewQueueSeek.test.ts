// Deep windows of Review's queue found by seek tables rather than OFFSET: on a real SQLite file of
// a few thousand results, windows at many offsets (deep ones first, out of order) are exactly the
// rows a plain OFFSET query gives, before the tables are made, once they are made ahead, and after
// new results arrive or a result is replaced, whether another connection or this one wrote them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { prepareMargins } from '../../../src-main/review/index.ts'
import { openStore, type ReviewQueueRepo } from '../../../src-main/store/index.ts'
import { placeWindow } from '../../../src-main/store/repos/reviewQueueSeek.ts'
import { createReviewQueueRepo } from '../../../src-main/store/repos/reviewQueueRepo.ts'
import { tempDbPath } from './fixtures.ts'
import { addPredictions, fillRun, predict } from './reviewQueueFixture.ts'

const STRIDE = 16
const LIMIT = 37

/** The queue's image ids as a plain OFFSET query reads them, on a connection of its own. */
function offsetIds(db: Database.Database, runId: number, sourceId: number, order: 'uncertainty' | 'name', offset: number, limit: number): number[] {
  const sql = order === 'uncertainty'
      ? `SELECT image_id FROM review_margins WHERE run_id = @runId AND generation = (SELECT generation FROM review_margin_sets WHERE run_id = @runId AND state = 'served')
         ORDER BY margin, image_id LIMIT @limit OFFSET @offset`
      : `SELECT i.id FROM images i JOIN predictions p ON p.image_id = i.id AND p.run_id = @runId WHERE i.source_id = @sourceId ORDER BY i.relative_path LIMIT @limit OFFSET @offset`
  return db.prepare(sql).pluck().all({ runId, sourceId, limit, offset }) as number[]
}

/** Windows at offsets all over the queue (the deep ones first) against OFFSET's rows. */
function assertJumps(repo: ReviewQueueRepo, plain: Database.Database, runId: number, sourceId: number, label: string): void {
  for (const order of ['uncertainty', 'name'] as const) {
    const total = repo.window({ runId, sourceId, order, offset: 0, limit: 0 }).total
    const offsets = [...Array.from({ length: 40 }, (_, k) => Math.floor(((k * 7919) % 1000) / 1000 * total)), 0, 1, STRIDE - 1, STRIDE, total - LIMIT - STRIDE, total - LIMIT, total - 5, total, total + 3]
    for (const offset of offsets) {
      const window = repo.window({ runId, sourceId, order, offset, limit: LIMIT })
      assert.equal(window.total, total)
      const expected = offsetIds(plain, runId, sourceId, order, offset, LIMIT)
      assert.deepEqual(window.rows.map((r) => r.imageId), expected, `${label}, ${order} at ${offset}`)
      // Where an image sits: counted from the mark before it when a table is made, else from the start.
      if (expected.length > 0) assert.equal(repo.position({ runId, sourceId, order, imageId: expected[0] }), offset, `${label}, ${order}: where the image at ${offset} sits`)
    }
  }
}

test('a window placed by a seek table continues after the nearest remembered image; near the ends or without a table it skips from the nearer end', () => {
  const table = { stride: 10, marks: Array.from({ length: 99 }, (_, k) => 1000 + k) }
  assert.deepEqual(placeWindow(table, 1000, 455, 20), { from: 'after', afterId: 1044, skip: 5 })
  assert.deepEqual(placeWindow(table, 1000, 5, 20), { from: 'start', skip: 5 })
  assert.deepEqual(placeWindow(table, 1000, 975, 20), { from: 'end', skip: 5 })
  assert.deepEqual(placeWindow(undefined, 1000, 455, 20), { from: 'start', skip: 455 })
  assert.deepEqual(placeWindow(undefined, 1000, 600, 20), { from: 'end', skip: 380 })
})

test('deep windows equal OFFSET\'s rows before and after seek tables are made, and after results arrive or change', async () => {
  const path = tempDbPath()
  const store = openStore(path)
  const { sourceId, runId, ids } = fillRun(store, 2500)
  while (prepareMargins(store, runId, 1000) > 0);
  const reader = new Database(path)
  const repo = createReviewQueueRepo(reader, { seekStride: STRIDE })
  const plain = new Database(path, { readonly: true })

  assertJumps(repo, plain, runId, sourceId, 'before the tables are made')
  await repo.builtAhead()
  assertJumps(repo, plain, runId, sourceId, 'tables made ahead')

  // Another connection adds results and measures them, then replaces one (its mark ends where it was).
  addPredictions(store, sourceId, runId, 120, 10_000)
  while (prepareMargins(store, runId, 1000) > 0);
  assertJumps(repo, plain, runId, sourceId, 'after new results')
  await repo.builtAhead()
  assertJumps(repo, plain, runId, sourceId, 'after new results, tables made again')
  predict(store, runId, ids[1200], 77_777, 88_888)
  while (prepareMargins(store, runId, 1000) > 0);
  assertJumps(repo, plain, runId, sourceId, 'after a replaced result')

  // The same connection writes: its own writes change the tables' stamp too.
  for (const order of ['uncertainty', 'name'] as const) store.reviewQueue.window({ runId, sourceId, order, offset: 0, limit: 1 })
  await store.reviewQueue.builtAhead()
  assertJumps(store.reviewQueue, plain, runId, sourceId, 'own connection, tables made')
  predict(store, runId, ids[600], 55_555, 66_666)
  while (prepareMargins(store, runId, 1000) > 0);
  assertJumps(store.reviewQueue, plain, runId, sourceId, 'own connection, after a replaced result')
  plain.close()
  reader.close()
  store.close()
})
