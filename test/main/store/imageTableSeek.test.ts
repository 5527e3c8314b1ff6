// Seek tables made inside SQLite, one stride per statement, ahead of the first deep jump (a slice
// at a time between calls) or at it: on a real SQLite file, under every sort, direction and
// filter, pages jumped to are exactly the rows OFFSET gives, whether the table was built ahead,
// built at the jump, completed at the jump from where a build ahead got, or made again after writes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { openStore, type ImageTableQuery, type ImageTableRow } from '../../../src-main/store/index.ts'
import { createImageTableRepo, type ImageTableOptions } from '../../../src-main/store/repos/imageTableRepo.ts'
import { tempDbPath } from './fixtures.ts'
import { FILTERS, LIMIT, populate, reference, sha, SORTS } from './imageTableTruth.ts'

const STRIDE = 5
const ids = (rows: readonly ImageTableRow[]) => rows.map((r) => r.image.id)

/** A library of 240 images and a second connection whose repo keeps seek tables of stride 5. */
function library(options: ImageTableOptions) {
  const path = tempDbPath()
  const store = openStore(path)
  const populated = populate(store)
  const reader = new Database(path)
  const table = createImageTableRepo(reader, { seekStride: STRIDE, seekStaleFactor: 0, ...options })
  return { store, reader, table, ...populated }
}

/** Every page by offset, the deep ones first and out of order, as a list jumped around in. */
function jumpedPages(table: ReturnType<typeof createImageTableRepo>, query: ImageTableQuery, length: number): number[] {
  const offsets = Array.from({ length: Math.ceil(length / LIMIT) }, (_, k) => k * LIMIT)
  const deepFirst = [...offsets].sort((a, b) => Math.abs(b - length / 2) - Math.abs(a - length / 2) || a - b)
  const pages = new Map(deepFirst.map((offset) => [offset, ids(table.page({ ...query, offset }).rows)]))
  return offsets.flatMap((offset) => pages.get(offset)!)
}

const statementsOf = (table: ReturnType<typeof createImageTableRepo>, query: ImageTableQuery) => table.tracePage(query).length
/** The rows a page's statements may read: the strides of each leap, the limit of each other. */
const rowsWalked = (table: ReturnType<typeof createImageTableRepo>, query: ImageTableQuery) =>
  table.tracePage(query).reduce((sum, { values }) => sum + (values.count != null ? Number(values.count) * STRIDE : Number(values.limit ?? 0)), 0)

test('a seek table built ahead serves every deep jump with the rows OFFSET gives, under every sort, direction and filter', async () => {
  const { store, reader, table, sourceId, runId, truth } = library({ buildSliceMs: 1 })
  const atJump = createImageTableRepo(reader, { seekStride: STRIDE, seekStaleFactor: 0, buildSliceMs: 0 })
  for (const key of SORTS) {
    for (const isDescending of [false, true]) {
      for (const [name, filter] of FILTERS) {
        const label = `${key} ${isDescending ? 'desc' : 'asc'}, ${name}`
        const expected = reference(truth, key, isDescending, filter)
        const query: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key, isDescending }, ...filter }
        const deep = { ...query, offset: Math.floor(expected.length / 2) }
        // Built at the first deep jump: that jump walks the order first.
        const building = statementsOf(atJump, deep)
        const served = statementsOf(atJump, deep)
        // A page within a stride of either end is found from that end, without a table.
        const usesTable = deep.offset >= STRIDE && expected.length - deep.offset - LIMIT >= STRIDE
        if (usesTable) assert.ok(building > served, `${label}: the first deep jump builds`)
        assert.deepEqual(jumpedPages(atJump, query, expected.length), expected, `${label}: built at the jump`)
        if (!usesTable || expected.length < 4 * STRIDE) continue // too short to build ahead
        table.page(query) // the first page starts the build
        await table.builtAhead()
        assert.equal(statementsOf(table, deep), served, `${label}: the deep jump is served from the table built ahead`)
        assert.deepEqual(jumpedPages(table, query, expected.length), expected, `${label}: built ahead`)
      }
    }
  }
  reader.close()
  store.close()
})

test('a jump before the build ahead finished completes it from where it got', async () => {
  const { store, reader, table, sourceId, runId, truth } = library({ buildSliceMs: 1e-9 }) // one statement per slice
  const fresh = createImageTableRepo(reader, { seekStride: STRIDE, seekStaleFactor: 0, buildSliceMs: 0 })
  for (const key of SORTS) {
    const expected = reference(truth, key, true, {})
    const query: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key, isDescending: true } }
    const deep = { ...query, offset: expected.length - 3 * LIMIT }
    const wholeBuild = statementsOf(fresh, deep)
    const served = statementsOf(fresh, deep)
    table.page(query)
    await sleep(60) // the host is idle: the build starts
    for (let k = 0; k < 8; k++) await nextTurn()
    const rest = statementsOf(table, deep)
    assert.ok(served < rest && rest <= wholeBuild, `${key}: the jump walks only the rest (${rest} of ${wholeBuild} statements, ${served} with the table)`)
    assert.deepEqual(jumpedPages(table, query, expected.length), expected, key)
    await table.builtAhead()
  }
  reader.close()
  store.close()
})

test('a build ahead waits while the host is busy with other calls, and goes on once it is idle', async () => {
  const { store, reader, table, sourceId, runId, truth } = library({ buildSliceMs: 1e-9 })
  const fresh = createImageTableRepo(reader, { seekStride: STRIDE, seekStaleFactor: 0, buildSliceMs: 0 })
  const expected = reference(truth, 'name', false, {})
  const query: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key: 'name', isDescending: false } }
  const deep = { ...query, offset: expected.length - 3 * LIMIT }
  const wholeBuild = statementsOf(fresh, deep)
  table.page(query)
  // Calls arrive every few milliseconds, each a millisecond of work, for a while: no slice runs.
  const busyUntil = performance.now() + 200
  while (performance.now() < busyUntil) {
    const workUntil = performance.now() + 1
    while (performance.now() < workUntil);
    await sleep(4)
  }
  assert.equal(statementsOf(table, deep), wholeBuild, 'nothing was built while the host was busy')
  await table.builtAhead()
  assert.ok(statementsOf(table, deep) < wholeBuild, 'built once it was idle')
  reader.close()
  store.close()
})

test('writes during and after a build ahead: jumps stay exact, by either connection', async () => {
  const { store, reader, table, sourceId, runId, truth } = library({ buildSliceMs: 1e-9 })
  const byName: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key: 'name', isDescending: false }, classIds: [2, 4] }
  const byGate: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key: 'gateProbability', isDescending: true } }
  const before = reference(truth, 'name', false, { classIds: [2, 4] })
  const gateBefore = reference(truth, 'gateProbability', true, {})
  // The build ahead begins, then the store's connection adds an image that sorts first by name and by gate.
  table.page(byName)
  table.page(byGate)
  await nextTurn()
  const { image } = store.images.upsert({ sourceId, relativePath: '0-first.jpg', byteSize: 10, mtimeMs: 1, sha256: sha(9999) })
  store.predictions.save({
    runId, imageId: image.id, imageSha256: sha(9999), gateProbability: 1, gatePassed: true, probMaps: null, masks: [],
    classStats: [{ classId: 2, areaImagePx: 50, maxProbability: 0.9, disagreement: null }],
  })
  store.images.markDone(image.id, { width: 1600, height: 256 })
  assert.deepEqual(jumpedPages(table, byName, before.length + 1), [image.id, ...before], 'name: a write during the build')
  assert.deepEqual(jumpedPages(table, byGate, gateBefore.length + 1), [image.id, ...gateBefore], 'gate: a write during the build')
  // Built ahead again after the write, then the reader's own connection removes the prediction.
  table.page(byGate)
  await table.builtAhead()
  reader.prepare('DELETE FROM predictions WHERE image_id = ?').run(image.id)
  // Without a prediction the image is among those without a gate, first in path order.
  const hasGate = (id: number) => truth.find((t) => t.id === id)!.gate !== null
  const expected = [...gateBefore.filter(hasGate), image.id, ...gateBefore.filter((id) => !hasGate(id))]
  assert.deepEqual(jumpedPages(table, byGate, expected.length), expected, 'gate: a write after the build')
  reader.close()
  store.close()
})

test('a library filling all the time: a table built ahead before a write keeps serving jumps while worth keeping', async () => {
  const { store, reader, sourceId, runId, truth } = library({})
  const keeping = createImageTableRepo(reader, { seekStride: STRIDE, seekStaleFactor: 1e9, buildSliceMs: 1 })
  const byName: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key: 'name', isDescending: false } }
  const expected = reference(truth, 'name', false, {})
  keeping.page(byName)
  await keeping.builtAhead()
  const at = (offset: number) => ids(keeping.page({ ...byName, offset }).rows)
  assert.deepEqual(at(70), expected.slice(70, 70 + LIMIT))
  reader.prepare('DELETE FROM predictions WHERE image_id = ?').run(expected[0])
  reader.prepare('DELETE FROM images WHERE id = ?').run(expected[0])
  const deep = { ...byName, offset: 70 }
  assert.ok(keeping.tracePage(deep).length <= 4, 'the table made before the write serves the jump')
  assert.deepEqual(at(70), expected.slice(70, 70 + LIMIT), 'it lands where the table was made: one row off')
  keeping.page(byName) // a table worth keeping is not built ahead again
  await keeping.builtAhead()
  assert.deepEqual(at(70), expected.slice(70, 70 + LIMIT))
  assert.deepEqual(ids(keeping.page({ ...byName, offset: 70, afterImageId: expected[70] }).rows), expected.slice(71, 71 + LIMIT), 'a page after a row stays exact')
  reader.close()
  store.close()
})

test('a jump walks the order only as far as its position; a jump further on walks on from there', () => {
  const { store, reader, sourceId, runId, truth } = library({ buildSliceMs: 0 })
  for (const key of SORTS) {
    const expected = reference(truth, key, false, {})
    const query: ImageTableQuery = { sourceId, runId, offset: 0, limit: LIMIT, sort: { key, isDescending: false } }
    const fresh = () => createImageTableRepo(reader, { seekStride: STRIDE, seekStaleFactor: 0, buildSliceMs: 0 })
    const near = { ...query, offset: 30 }
    const far = { ...query, offset: expected.length - 3 * LIMIT }
    const walkedToFar = rowsWalked(fresh(), far)
    const table = fresh()
    const walkedToNear = rowsWalked(table, near)
    assert.ok(walkedToNear < walkedToFar, `${key}: ${walkedToNear} rows walked to row 30, ${walkedToFar} to row ${far.offset}`)
    assert.ok(rowsWalked(table, far) < walkedToFar, `${key}: the jump further on walks on from the first`)
    assert.deepEqual(ids(table.page(near).rows), expected.slice(30, 30 + LIMIT), key)
    assert.deepEqual(ids(table.page(far).rows), expected.slice(far.offset, far.offset + LIMIT), key)
  }
  reader.close()
  store.close()
})
