// Human work: mask revisions, the append-only edit log, and reviews whose latest row is current.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { memoryStore, seed, SHA_A } from './fixtures.ts'

test('an edit adds a human revision on top of the model mask; the model mask stays, and stays the run\'s', () => {
  const store = memoryStore()
  const { run, image } = seed(store)
  store.predictions.save({
    runId: run.id, imageId: image.id, imageSha256: SHA_A, gateProbability: 0.9, gatePassed: true, classStats: [], probMaps: null,
    masks: [{ classId: 1, rle: '1 10' }, { classId: 2, rle: '50 5' }],
  })
  const first = store.edits.record({ imageId: image.id, classId: 1, beforeRle: '1 10', afterRle: '1 12', tool: 'brush', author: 'ana', runId: run.id })
  const second = store.edits.record({ imageId: image.id, classId: 1, beforeRle: '1 12', afterRle: '', tool: 'eraser', author: 'ben' })

  assert.deepEqual([first.mask.revision, first.mask.origin, first.mask.runId, first.edit.maskId], [2, 'human', run.id, first.mask.id])
  assert.deepEqual([second.mask.revision, second.mask.runId, second.edit.maskId], [3, null, second.mask.id])
  assert.deepEqual(store.masks.revisions(image.id, 1).map((m) => [m.revision, m.origin, m.rle]), [
    [1, 'model', '1 10'],
    [2, 'human', '1 12'],
    [3, 'human', ''],
  ])
  assert.equal(store.masks.current(image.id, 1)?.rle, '')
  assert.deepEqual(store.masks.currentForImage(image.id).map((m) => [m.classId, m.revision, m.rle]), [
    [1, 3, ''],
    [2, 1, '50 5'],
  ])
  assert.deepEqual(store.masks.fromRun(run.id, image.id).map((m) => [m.classId, m.rle]), [
    [1, '1 10'],
    [2, '50 5'],
  ])
  assert.deepEqual(store.edits.listForImage(image.id).map((e) => [e.tool, e.author, e.beforeRle, e.afterRle]), [
    ['brush', 'ana', '1 10', '1 12'],
    ['eraser', 'ben', '1 12', ''],
  ])
})

test('an edit on a class the model left alone starts at revision 1', () => {
  const store = memoryStore()
  const { image } = seed(store)
  const { mask } = store.edits.record({ imageId: image.id, classId: 4, beforeRle: '', afterRle: '7 3', tool: 'brush', author: 'ana' })
  assert.equal(mask.revision, 1)
  assert.equal(store.masks.current(image.id, 4)?.id, mask.id)
  assert.equal(store.masks.current(image.id, 3), undefined)
})

test('an edit that fails leaves no orphan mask revision', () => {
  const store = memoryStore()
  const { image } = seed(store)
  assert.throws(
    () => store.edits.record({ imageId: image.id, classId: 1, beforeRle: '', afterRle: '1 1', tool: 'brush', author: '' }),
    /CHECK constraint failed/,
  )
  assert.deepEqual(store.masks.revisions(image.id, 1), [])
  assert.deepEqual(store.edits.listForImage(image.id), [])
})

test('reviews: none means unreviewed; each sign-off is appended; the latest is current', () => {
  const store = memoryStore()
  const { image } = seed(store)
  assert.equal(store.reviews.current(image.id), undefined)
  const accepted = store.reviews.record({ imageId: image.id, status: 'accepted', author: 'ana' })
  const flagged = store.reviews.record({ imageId: image.id, status: 'flagged', author: 'ben', note: 'scale on the edge?' })
  assert.equal(accepted.note, '')
  assert.deepEqual(store.reviews.current(image.id), flagged)
  assert.deepEqual(store.reviews.history(image.id).map((r) => [r.status, r.author, r.note]), [
    ['accepted', 'ana', ''],
    ['flagged', 'ben', 'scale on the edge?'],
  ])
  assert.throws(() => store.reviews.record({ imageId: image.id, status: 'approved' as never, author: 'ana' }), /CHECK constraint failed/)
  assert.throws(() => store.reviews.record({ imageId: image.id + 1, status: 'accepted', author: 'ana' }), /FOREIGN KEY/)
})

test('a revert is an edit whose revision is a model mask again', () => {
  const store = memoryStore()
  const { image, run } = seed(store)
  store.edits.record({ imageId: image.id, classId: 1, beforeRle: '', afterRle: '1 5', tool: 'brush', author: 'ana' })
  const { mask, edit } = store.edits.record({ imageId: image.id, classId: 1, beforeRle: '1 5', afterRle: '', tool: 'revert', author: 'ana', runId: run.id, origin: 'model' })
  assert.deepEqual([mask.origin, mask.revision, mask.runId], ['model', 2, run.id])
  assert.equal(store.masks.current(image.id, 1)!.origin, 'model')
  assert.equal(edit.tool, 'revert')
  assert.throws(() => store.edits.record({ imageId: image.id, classId: 1, beforeRle: '', afterRle: '', tool: 'revert', author: 'ana', origin: 'model' }), /CHECK constraint failed/)
})
