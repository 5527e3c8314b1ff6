// A file database under load and under a crash: batches commit whole, a process killed inside a
// transaction leaves no trace of it, and the database stays sound.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { blobMaps, seed, tempDbPath } from './fixtures.ts'

const STORE_MODULE = new URL('../../../src-main/store/index.ts', import.meta.url).pathname
const FIXTURES_MODULE = new URL('./fixtures.ts', import.meta.url).pathname

function writeBatch(store: Store, sourceId: number, runId: number, from: number, count: number): void {
  store.transaction(() => {
    for (let i = from; i < from + count; i++) {
      const sha256 = i.toString(16).padStart(64, '0')
      const { image } = store.images.upsert({ sourceId, relativePath: `img-${String(i).padStart(4, '0')}.jpg`, byteSize: 100 + i, mtimeMs: i, sha256 })
      store.images.markDone(image.id, { width: 1600, height: 256 })
      store.predictions.save({
        runId, imageId: image.id, imageSha256: sha256, gateProbability: 0.9, gatePassed: true,
        classStats: [{ classId: 1, areaImagePx: i, maxProbability: 0.95, disagreement: 0 }],
        probMaps: blobMaps(), masks: [1, 2, 3, 4].map((classId) => ({ classId, rle: `${i + 1} ${classId}` })),
      })
    }
  })
}

test('200 images in batches: integrity ok, all rows back after reopening, triggers live in the file', () => {
  const path = tempDbPath()
  const store = openStore(path)
  const { source, run } = seed(store)
  for (let from = 0; from < 200; from += 50) writeBatch(store, source.id, run.id, from, 50)
  const edited = store.images.findByPath(source.id, 'img-0007.jpg')!
  store.edits.record({ imageId: edited.id, classId: 2, beforeRle: '8 2', afterRle: '8 4', tool: 'brush', author: 'ana' })
  store.reviews.record({ imageId: edited.id, status: 'accepted', author: 'ana' })
  assert.deepEqual(store.checkIntegrity(), [])
  store.close()

  const again = openStore(path)
  assert.equal(again.predictions.countByRun(run.id), 200)
  assert.deepEqual(again.images.listUnpredicted(source.id, run.id).map((i) => i.relativePath), ['a.jpg'])
  assert.deepEqual(again.checkIntegrity(), [])
  again.close()

  // The guards are in the file, not in our code: another client cannot rewrite history either.
  const raw = new Database(path)
  assert.throws(() => raw.exec("UPDATE edits SET author = 'eve'"), /edits is append-only/)
  assert.throws(() => raw.exec('DELETE FROM edits'), /edits is append-only/)
  assert.throws(() => raw.exec("UPDATE reviews SET status = 'rejected'"), /reviews is append-only/)
  assert.throws(() => raw.exec("DELETE FROM masks WHERE origin = 'human'"), /human masks cannot be deleted/)
  assert.equal(raw.prepare(
    "SELECT count(*) FROM masks WHERE class_id = 2 AND image_id = (SELECT id FROM images WHERE relative_path = 'img-0007.jpg')",
  ).pluck().get(), 2)
  raw.close()
})

test('a process killed (SIGKILL) inside a transaction: the committed batch survives, the open one vanishes', () => {
  const path = tempDbPath()
  const script = `
    import { openStore } from ${JSON.stringify(STORE_MODULE)}
    import { blobMaps, seed } from ${JSON.stringify(FIXTURES_MODULE)}
    const store = openStore(${JSON.stringify(path)})
    const { source, run } = seed(store)
    const write = (from, count, die) => store.transaction(() => {
      for (let i = from; i < from + count; i++) {
        const sha256 = i.toString(16).padStart(64, '0')
        const { image } = store.images.upsert({ sourceId: source.id, relativePath: 'k' + i, byteSize: 1, mtimeMs: 1, sha256 })
        store.predictions.save({ runId: run.id, imageId: image.id, imageSha256: sha256, gateProbability: 1, gatePassed: true,
          classStats: [], probMaps: blobMaps(), masks: [{ classId: 1, rle: '1 1' }] })
        if (die && i === from + count - 1) process.kill(process.pid, 'SIGKILL')
      }
    })
    write(0, 30, false)
    write(30, 30, true)
  `
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(child.signal, 'SIGKILL', child.stderr)

  const store = openStore(path)
  assert.deepEqual(store.checkIntegrity(), [])
  assert.equal(store.predictions.countByRun(1), 30)
  assert.equal(store.images.listBySource(1).length, 31) // a.jpg from seed + 30 committed
  assert.equal(store.images.findByPath(1, 'k30'), undefined)
  store.close()
})
