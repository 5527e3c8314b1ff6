// Sources and images: re-scans tell new, changed and unchanged files apart; resume finds the work left.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openStore } from '../../../src-main/store/index.ts'
import { STATUS_RANK } from '../../../src-main/store/repos/imageTableSql.ts'
import { memoryStore, seed, SHA_A, SHA_B, tempDbPath } from './fixtures.ts'

test('a folder is registered once', () => {
  const store = memoryStore()
  const first = store.sources.ensure('/data/coils')
  const again = store.sources.ensure('/data/coils')
  assert.deepEqual(again, first)
  assert.equal(store.sources.list().length, 1)
  assert.deepEqual(store.sources.findByPath('/data/coils'), first)
  assert.equal(store.sources.findByPath('/elsewhere'), undefined)
})

test('upsert: new, then unchanged for the same hash, then changed (back to pending, old facts cleared)', () => {
  const store = memoryStore()
  const source = store.sources.ensure('/data')
  const scan = { sourceId: source.id, relativePath: 'coil 1/ä.jpg', byteSize: 10, mtimeMs: 1234.9, sha256: SHA_A }
  const created = store.images.upsert(scan)
  assert.equal(created.change, 'new')
  assert.equal(created.image.status, 'pending')
  assert.equal(created.image.mtimeMs, 1234) // truncated to whole ms
  store.images.markDone(created.image.id, { width: 1600, height: 256, warning: 'expected 1600×256' })

  const touched = store.images.upsert({ ...scan, mtimeMs: 9999 })
  assert.equal(touched.change, 'unchanged')
  assert.equal(touched.image.id, created.image.id)
  assert.equal(touched.image.status, 'done')
  assert.equal(touched.image.mtimeMs, 9999)
  assert.equal(touched.image.warning, 'expected 1600×256')

  const changed = store.images.upsert({ ...scan, sha256: SHA_B, byteSize: 11 })
  assert.equal(changed.change, 'changed')
  assert.equal(changed.image.id, created.image.id)
  assert.deepEqual(
    { status: changed.image.status, width: changed.image.width, warning: changed.image.warning, sha256: changed.image.sha256 },
    { status: 'pending', width: null, warning: null, sha256: SHA_B },
  )
  assert.equal(store.images.listBySource(source.id).length, 1)
})

test('failed and skipped images keep their reason; a missing id is an error', () => {
  const store = memoryStore()
  const { image, source } = seed(store)
  store.images.markFailed(image.id, 'cannot decode JPEG: premature end')
  assert.deepEqual([store.images.get(image.id)?.status, store.images.get(image.id)?.error], ['failed', 'cannot decode JPEG: premature end'])
  const other = store.images.upsert({ sourceId: source.id, relativePath: 'copy.jpg', byteSize: 1000, mtimeMs: 5, sha256: SHA_A }).image
  store.images.markSkipped(other.id, 'same content as a.jpg')
  assert.deepEqual([store.images.get(other.id)?.status, store.images.get(other.id)?.warning], ['skipped', 'same content as a.jpg'])
  assert.deepEqual(store.images.listBySha256(SHA_A).map((i) => i.relativePath), ['a.jpg', 'copy.jpg'])
  assert.deepEqual(store.images.listPaths(source.id), store.images.listBySource(source.id).map((i) => i.relativePath))
  assert.deepEqual(store.images.listPaths(source.id), ['a.jpg', 'copy.jpg'])
  assert.throws(() => store.images.markDone(999, { width: 1, height: 1 }), /no image with id 999/)
})

test('listUnpredicted: what a resumed run still has to do, in path order', () => {
  const store = memoryStore()
  const { source, run, image } = seed(store)
  const add = (relativePath: string, sha256: string | null) =>
    store.images.upsert({ sourceId: source.id, relativePath, byteSize: 1, mtimeMs: 1, sha256 }).image
  const b = add('b.jpg', SHA_B)
  add('0-unreadable.jpg', null)
  const skipped = add('c.jpg', SHA_A)
  store.images.markSkipped(skipped.id, 'duplicate')
  const save = (imageId: number, imageSha256: string) =>
    store.predictions.save({ runId: run.id, imageId, imageSha256, gateProbability: 0.1, gatePassed: false, classStats: [], probMaps: null, masks: [] })

  assert.deepEqual(store.images.listUnpredicted(source.id, run.id).map((i) => i.relativePath), ['0-unreadable.jpg', 'a.jpg', 'b.jpg'])
  save(image.id, SHA_A)
  assert.deepEqual(store.images.listUnpredicted(source.id, run.id).map((i) => i.relativePath), ['0-unreadable.jpg', 'b.jpg'])
  save(b.id, SHA_B)
  // b.jpg's content changes on disk: its prediction no longer counts.
  store.images.upsert({ sourceId: source.id, relativePath: 'b.jpg', byteSize: 2, mtimeMs: 2, sha256: 'e'.repeat(64) })
  assert.deepEqual(store.images.listUnpredicted(source.id, run.id).map((i) => i.relativePath), ['0-unreadable.jpg', 'b.jpg'])
  // Another run has everything still to do.
  const other = store.runs.create({ ...run, sourceId: source.id, gateThreshold: 0.5, providerRequested: 'cpu', appVersion: '0.1.0' })
  assert.equal(store.images.listUnpredicted(source.id, other.id).length, 3)
})

test('listPendingUnpredicted: a watch\'s backlog after catching up, read along the status index', () => {
  const path = tempDbPath()
  const store = openStore(path)
  const { source, run, image } = seed(store)
  const add = (relativePath: string, sha256: string) => store.images.upsert({ sourceId: source.id, relativePath, byteSize: 1, mtimeMs: 1, sha256 }).image
  const save = (imageId: number, imageSha256: string) =>
    store.predictions.save({ runId: run.id, imageId, imageSha256, gateProbability: 0.1, gatePassed: false, classStats: [], probMaps: null, masks: [] })
  // Inspected by an older run: done, and not in this run — only the catch-up takes it.
  store.images.markDone(image.id, { width: 1600, height: 256 })
  const b = add('b.jpg', SHA_B)
  const broken = add('broken.jpg', 'e'.repeat(64))
  store.images.markFailed(broken.id, 'cannot decode JPEG')
  const pending = () => store.images.listPendingUnpredicted(source.id, run.id).map((i) => i.relativePath)
  assert.deepEqual(pending(), ['b.jpg'])
  assert.deepEqual(store.images.listUnpredicted(source.id, run.id).map((i) => i.relativePath), ['a.jpg', 'b.jpg', 'broken.jpg'])
  save(b.id, SHA_B)
  store.images.markDone(b.id, { width: 1600, height: 256 })
  assert.deepEqual(pending(), [])
  // Replaced on disk (pending again), and a broken file that was written again: both wait.
  add('b.jpg', 'f'.repeat(64))
  add('broken.jpg', 'd'.repeat(64))
  assert.deepEqual(pending(), ['b.jpg', 'broken.jpg'])
  const reader = new Database(path, { readonly: true })
  const plan = reader.prepare(`EXPLAIN QUERY PLAN SELECT i.id FROM images i WHERE i.source_id = ? AND ${STATUS_RANK} = 1`).all(source.id) as { detail: string }[]
  assert.match(plan[0].detail, /USING (COVERING )?INDEX images_by_status_rank \(source_id=\? AND <expr>=\?\)/)
  reader.close()
  store.close()
})

test('foreign keys: an image needs its source, a prediction its run and image', () => {
  const store = memoryStore()
  const { run, image } = seed(store)
  assert.throws(() => store.images.upsert({ sourceId: 42, relativePath: 'x.jpg', byteSize: 1, mtimeMs: 1, sha256: null }), /FOREIGN KEY/)
  const prediction = { imageSha256: SHA_A, gateProbability: null, gatePassed: true, classStats: [], probMaps: null, masks: [] }
  assert.throws(() => store.predictions.save({ ...prediction, runId: run.id + 1, imageId: image.id }), /FOREIGN KEY/)
  assert.throws(() => store.predictions.save({ ...prediction, runId: run.id, imageId: image.id + 1 }), /FOREIGN KEY/)
  assert.equal(store.predictions.countByRun(run.id), 0)
})

test('a scan without hashes trusts size and mtime; the hash arrives with the result', () => {
  const store = memoryStore()
  const source = store.sources.ensure('/data')
  const scan = { sourceId: source.id, relativePath: 'x.jpg', byteSize: 10, mtimeMs: 500, sha256: null }
  const created = store.images.upsert(scan)
  assert.equal(created.change, 'new')
  store.images.recordContent(created.image.id, SHA_A)
  store.images.markDone(created.image.id, { width: 1600, height: 256 })

  const again = store.images.upsert(scan)
  assert.equal(again.change, 'unchanged')
  assert.equal(again.image.sha256, SHA_A) // kept
  assert.equal(again.image.status, 'done')

  const touched = store.images.upsert({ ...scan, mtimeMs: 501 })
  assert.equal(touched.change, 'changed')
  assert.deepEqual({ status: touched.image.status, sha256: touched.image.sha256 }, { status: 'pending', sha256: null })
  assert.throws(() => store.images.recordContent(999, SHA_A), /no image with id 999/)
})
