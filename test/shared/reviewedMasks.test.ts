import assert from 'node:assert/strict'
import { test } from 'node:test'
import { modelMasksUnder, pickReviewedMasks } from '../../src-shared/reviewedMasks.ts'
import { thresholdToImageMasks } from '../../src-shared/postprocess.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'

const profile: ThresholdProfile = { name: 'p', gate: 0.5, upper: [0.5, 0.5], lower: [0.3, 0.3], minAreaModelPx: [0, 0] }
const mapSize = { height: 2, width: 4 }
const imageSize = { height: 4, width: 8 }
// Two classes, one plane each at model size: class 1 high on the left half, class 2 nowhere.
const maps = new Uint8Array(2 * 4 * 2)
for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) maps[y * 4 + x] = 230

test('model masks under a profile are the thresholded maps; not segmented (gate, no maps) gives empty masks', () => {
  const masks = modelMasksUnder(maps, mapSize, imageSize, 2, profile, 0.9)
  assert.deepEqual(masks, thresholdToImageMasks(maps, mapSize, imageSize, profile).map((m) => m.mask))
  assert.equal(masks[0].reduce((a, b) => a + b, 0), 16, 'the left half at image size')
  for (const empty of [modelMasksUnder(maps, mapSize, imageSize, 2, profile, 0.1), modelMasksUnder(null, null, imageSize, 2, profile, 0.9)]) {
    assert.equal(empty.length, 2)
    assert.ok(empty.every((m) => m.length === 32 && m.every((v) => v === 0)))
  }
})

test('a human mask wins over the model for its class only, in any mask form', () => {
  const picked = pickReviewedMasks([1, 2, 3], ['m1', 'm2', 'm3'], new Map([[2, 'h2']]))
  assert.deepEqual(picked, [
    { classId: 1, origin: 'model', mask: 'm1' },
    { classId: 2, origin: 'human', mask: 'h2' },
    { classId: 3, origin: 'model', mask: 'm3' },
  ])
  assert.deepEqual(pickReviewedMasks([], [], new Map()), [])
  const human = new Uint8Array(4)
  assert.equal(pickReviewedMasks([4], [new Uint8Array(4)], new Map([[4, human]]))[0].mask, human, 'the same mask object, not a copy')
})
