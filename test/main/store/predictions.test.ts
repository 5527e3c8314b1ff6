// Predictions: idempotent per (run, image), stored with their masks atomically, maps round-trip.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PredictionInput, Store } from '../../../src-main/store/index.ts'
import { blobMaps, memoryStore, seed, SHA_A, SHA_B } from './fixtures.ts'

function input(store: Store, overrides: Partial<PredictionInput> = {}): PredictionInput {
  const { run, image } = seed(store)
  return {
    runId: run.id,
    imageId: image.id,
    imageSha256: SHA_A,
    gateProbability: 0.93,
    gatePassed: true,
    classStats: [
      { classId: 1, areaImagePx: 0, maxProbability: 0.2, disagreement: 0.01 },
      { classId: 3, areaImagePx: 4396, maxProbability: 0.97, disagreement: null },
    ],
    probMaps: blobMaps(),
    masks: [
      { classId: 1, rle: '' },
      { classId: 3, rle: '29102 12 29346 24' },
    ],
    ...overrides,
  }
}

function countRows(store: Store) {
  return { predictions: store.predictions.countByRun(1), masks: store.masks.currentForImage(1).length }
}

test('save twice: one row, one set of masks, the second save reports unchanged', () => {
  const store = memoryStore()
  const prediction = input(store)
  const first = store.predictions.save(prediction)
  const second = store.predictions.save(prediction)
  assert.equal(first.outcome, 'inserted')
  assert.equal(first.masks.length, 2)
  assert.equal(second.outcome, 'unchanged')
  assert.deepEqual(second.masks, [])
  assert.deepEqual(second.prediction, first.prediction)
  assert.equal(store.predictions.countByRun(prediction.runId), 1)
  assert.deepEqual(store.masks.revisions(prediction.imageId, 3).map((m) => m.revision), [1])
})

test('the record reads back as saved: gate, class statistics, map shape, maps bytes', () => {
  const store = memoryStore()
  const prediction = input(store)
  const { prediction: saved } = store.predictions.save(prediction)
  const read = store.predictions.get(prediction.runId, prediction.imageId)!
  assert.deepEqual(read, saved)
  assert.equal(read.gateProbability, 0.93)
  assert.equal(read.gatePassed, true)
  assert.deepEqual(read.classStats, prediction.classStats)
  assert.deepEqual(read.probMapShape, { height: 128, width: 800, classCount: 4 })
  const maps = store.predictions.readProbMaps(read.id)!
  assert.ok(Buffer.from(maps.mapsU8).equals(Buffer.from(blobMaps().mapsU8)))
  assert.deepEqual(store.masks.fromRun(prediction.runId, prediction.imageId).map((m) => [m.classId, m.rle, m.origin]), [
    [1, '', 'model'],
    [3, '29102 12 29346 24', 'model'],
  ])
})

test('gated out: no maps stored, readProbMaps gives undefined', () => {
  const store = memoryStore()
  const { prediction } = store.predictions.save(input(store, { gateProbability: 0.12, gatePassed: false, probMaps: null, masks: [] }))
  assert.equal(prediction.gatePassed, false)
  assert.equal(prediction.probMapShape, null)
  assert.equal(store.predictions.readProbMaps(prediction.id), undefined)
  assert.equal(store.predictions.readProbMaps(999), undefined)
})

test('the same (run, image) with new content replaces the row and adds mask revisions', () => {
  const store = memoryStore()
  const prediction = input(store)
  const first = store.predictions.save(prediction)
  const replaced = store.predictions.save({ ...prediction, imageSha256: SHA_B, masks: [{ classId: 3, rle: '1 4' }] })
  assert.equal(replaced.outcome, 'replaced')
  assert.equal(replaced.prediction.id, first.prediction.id)
  assert.equal(replaced.prediction.imageSha256, SHA_B)
  assert.equal(store.predictions.countByRun(prediction.runId), 1)
  assert.deepEqual(store.masks.revisions(prediction.imageId, 3).map((m) => [m.revision, m.rle]), [
    [1, '29102 12 29346 24'],
    [2, '1 4'],
  ])
  assert.equal(store.masks.current(prediction.imageId, 3)?.rle, '1 4')
})

test('a failure after the prediction row was written leaves nothing behind', () => {
  const store = memoryStore()
  const prediction = input(store, { masks: [{ classId: 2, rle: '1 1' }, { classId: 0, rle: '5 5' }] }) // class 0 breaks a CHECK
  assert.throws(() => store.predictions.save(prediction), /CHECK constraint failed/)
  assert.deepEqual(countRows(store), { predictions: 0, masks: 0 })
  assert.equal(store.predictions.get(prediction.runId, prediction.imageId), undefined)
})

test('maps of the wrong size are refused before anything is written', () => {
  const store = memoryStore()
  const maps = blobMaps()
  const prediction = input(store, { probMaps: { ...maps, classCount: 3 } })
  assert.throws(() => store.predictions.save(prediction), /409600 bytes, expected 3×128×800/)
  assert.deepEqual(countRows(store), { predictions: 0, masks: 0 })
})

test('store.transaction composes: image status and prediction commit together or not at all', () => {
  const store = memoryStore()
  const prediction = input(store)
  assert.throws(() =>
    store.transaction(() => {
      store.images.markDone(prediction.imageId, { width: 1600, height: 256 })
      store.predictions.save(prediction)
      throw new Error('worker reported a later failure')
    }),
  /later failure/)
  assert.equal(store.images.get(prediction.imageId)?.status, 'pending')
  assert.deepEqual(countRows(store), { predictions: 0, masks: 0 })

  store.transaction(() => {
    store.images.markDone(prediction.imageId, { width: 1600, height: 256 })
    store.predictions.save(prediction)
  })
  assert.equal(store.images.get(prediction.imageId)?.status, 'done')
  assert.deepEqual(countRows(store), { predictions: 1, masks: 2 })
})
