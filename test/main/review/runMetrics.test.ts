// Live metrics against truth.csv agree with exporting the masks and scoring them with `coilscope score`.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { scoreMasks } from '../../../src-shared/metrics.ts'
import { encodeRle } from '../../../src-shared/rle.ts'
import { formatSeverstalCsv, type MaskRow } from '../../../src-shared/severstalCsv.ts'
import { JobQueue } from '../../../src-main/queue/index.ts'
import { buildRunCounts, optimiseRun, profileForRun, reviewedMasks, revertToModel, saveMaskEdit, scoreRun, setReview } from '../../../src-main/review/index.ts'
import { openStore, type Store } from '../../../src-main/store/index.ts'
import { blockMask, FIXTURES, IMAGE_H, IMAGE_W, tempDir, writeBlockImages } from '../../helpers/images.ts'

let store: Store
let runId: number
let sourceId: number
const names: string[] = []

before(async () => {
  const folder = tempDir()
  names.push(...(await writeBlockImages(folder, 8)))
  // Truth: the blocks, except image 3's truth is shifted 100 px (a half miss) and image 5's is absent.
  const truth: MaskRow[] = names.flatMap((imageId, i) => {
    if (i === 5) return []
    const band = i % 4
    const left = 8 * ((i / 4) | 0) + (i === 3 ? 100 : 0)
    return [{ imageId, classId: band + 1, rle: encodeRle(blockMask({ top: 64 * band, bottom: 64 * band + 64, left, right: left + 200 }), IMAGE_H, IMAGE_W) }]
  })
  writeFileSync(join(folder, 'truth.csv'), formatSeverstalCsv('kaggle', names, [1, 2, 3, 4], truth))
  store = openStore(join(tempDir(), 'm.db'))
  const queue = new JobQueue(store)
  const { id } = queue.enqueue({ folder, modelsDir: join(FIXTURES, 'nchw'), provider: 'cpu', threads: 1 })
  await queue.idle()
  queue.close()
  ;({ runId, sourceId } = queue.get(id) as { runId: number; sourceId: number })
})

test('per-class scores under the run profile equal scoring the stored masks against truth.csv', () => {
  const counts = buildRunCounts(store, runId, sourceId)!
  const profile = profileForRun(store, runId)
  const live = scoreRun(counts, profile)
  const images = store.images.listBySource(sourceId).filter((i) => i.relativePath !== 'truth.csv')
  const predicted = images.flatMap((image) => store.masks.fromRun(runId, image.id).map((m) => ({ imageId: image.relativePath, classId: m.classId, rle: m.rle })))
  const truthRows = images.flatMap((image, i) => {
    if (i === 5) return []
    const band = i % 4
    const left = 8 * ((i / 4) | 0) + (i === 3 ? 100 : 0)
    return [{ imageId: image.relativePath, classId: band + 1, rle: encodeRle(blockMask({ top: 64 * band, bottom: 64 * band + 64, left, right: left + 200 }), IMAGE_H, IMAGE_W) }]
  })
  const expected = scoreMasks(images.map((i) => i.relativePath), [1, 2, 3, 4], truthRows, predicted).perClass
  assert.deepEqual(live.map((s) => s.meanDice.toFixed(12)), expected.map((s) => s.meanDice.toFixed(12)))
  assert.equal(live[3].diceOnDefects, 0.75) // class 4: image 3 overlaps half (0.5), image 7 exactly (1)
  assert.equal(live[1].falsePositiveRate, 1 / 7) // class 2: image 5 has no truth but a predicted block
  const optimised = scoreRun(counts, optimiseRun(counts, profile))
  optimised.forEach((s, c) => assert.ok(s.meanDice >= live[c].meanDice))
})

test('reviewer actions: a stroke is a human revision, a revert follows the model again, reviews append', () => {
  const image = store.images.findByPath(sourceId, names[0])!
  const profile = profileForRun(store, runId)
  const model = reviewedMasks(store, runId, image.id, profile)[0]
  assert.equal(model.origin, 'model')
  assert.equal(saveMaskEdit(store, { imageId: image.id, classId: 1, runId, beforeRle: model.rle, afterRle: '1 3', baseRevision: 1, tool: 'brush', author: 'ana' }), 2)
  assert.deepEqual(reviewedMasks(store, runId, image.id, profile)[0], { classId: 1, rle: '1 3', origin: 'human' })
  assert.equal(revertToModel(store, { imageId: image.id, classId: 1, runId, beforeRle: '1 3', baseRevision: 2, author: 'ana' }), 3)
  assert.deepEqual(reviewedMasks(store, runId, image.id, profile)[0], model)
  assert.deepEqual(store.edits.listForImage(image.id).map((e) => e.tool), ['brush', 'revert-to-model'])
  setReview(store, { imageId: image.id, status: 'flagged', author: 'ana', note: 'edge unclear' })
  setReview(store, { imageId: image.id, status: 'accepted', author: 'bo' })
  assert.deepEqual([store.reviews.current(image.id)!.status, store.reviews.history(image.id).length], ['accepted', 2])
})
