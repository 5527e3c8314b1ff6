// The comparison's statistics on hand-counted masks: agreement, truth scores, the ranking, and a
// bootstrap interval that is the same for the same seed and covers the estimate.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bootstrapInterval } from '../../../src-shared/compare/bootstrap.ts'
import { seededRandom } from '../../../src-shared/seededRandom.ts'
import { compareCounts, type ImagePairCounts } from '../../../src-shared/compare/compareStats.ts'
import { countMaskPair } from '../../../src-shared/compare/maskPairCounts.ts'

const mask = (bits: string) => Uint8Array.from(bits, (ch) => (ch === '1' ? 1 : 0))

test('countMaskPair counts areas and overlaps; masks of other sizes are refused', () => {
  assert.deepEqual(countMaskPair(mask('1100'), mask('0110'), mask('0111')), { areaA: 2, areaB: 2, overlapAB: 1, truthArea: 3, overlapATruth: 1, overlapBTruth: 2 })
  assert.deepEqual(countMaskPair(mask('0000'), mask('0000'), null), { areaA: 0, areaB: 0, overlapAB: 0, truthArea: null, overlapATruth: 0, overlapBTruth: 0 })
  assert.throws(() => countMaskPair(mask('1'), mask('10'), null), /cannot be compared/)
})

// Class 1: image x both find it (A 2 px, B 2 px, overlap 1), image y only A, image z only B.
// Class 2: nobody finds it anywhere.
const image = (imageId: number, name: string, a: string, b: string, truth: string | null): ImagePairCounts => ({
  imageId, name, classes: [countMaskPair(mask(a), mask(b), truth === null ? null : mask(truth)), countMaskPair(mask('0000'), mask('0000'), truth === null ? null : mask('0000'))],
})
const images = [image(1, 'x', '1100', '0110', '0110'), image(2, 'y', '1000', '0000', '0000'), image(3, 'z', '0000', '0011', '0011')]

test('agreement per class: Dice between the sides where either finds the class, only-A and only-B images, area ratio', () => {
  const { agreement } = compareCounts(images, [1, 2], { seed: 1 })
  assert.deepEqual(agreement[0], { classId: 1, imagesEither: 3, imagesBoth: 1, onlyA: 1, onlyB: 1, meanDiceAB: 0.5 / 3, areaA: 3, areaB: 4, areaRatio: 4 / 3 })
  assert.deepEqual(agreement[1], { classId: 2, imagesEither: 0, imagesBoth: 0, onlyA: 0, onlyB: 0, meanDiceAB: null, areaA: 0, areaB: 0, areaRatio: null })
})

test('with truth: each side scored as the metric scores it, and B − A exactly', () => {
  const { truth } = compareCounts(images, [1, 2], { seed: 1, resamples: 200 })
  const c1 = truth!.perClass[0]
  // A: x 0.5, y 0 (false positive), z 0 (missed) → mean 1/6; B: x 1, y 1, z 1.
  assert.equal(c1.a.meanDice, 0.5 / 3)
  assert.equal(c1.b.meanDice, 1)
  assert.equal(c1.a.detectionRecall, 0.5)
  assert.equal(c1.a.falsePositiveRate, 1)
  assert.equal(c1.b.falsePositiveRate, 0)
  assert.equal(c1.meanDiceDiff!.estimate, 1 - 0.5 / 3)
  assert.equal(c1.detectionDiff!.estimate, 0.5)
  assert.equal(c1.falsePositiveDiff!.estimate, -1)
  assert.equal(truth!.meanDiceA, (0.5 / 3 + 1) / 2)
  assert.equal(truth!.meanDiceB, 1)
  assert.equal(truth!.perClass[1].meanDiceDiff!.estimate, 0)
  assert.equal(truth!.perClass[1].diceOnDefectsDiff, null, 'no image has class 2 in its truth')
})

test('without truth there is no truth comparison', () => {
  assert.equal(compareCounts([image(1, 'x', '1100', '0110', null)], [1, 2], { seed: 1 }).truth, null)
})

test('images rank by disagreement, then by differing pixels, then by name', () => {
  const ranked = compareCounts([...images, image(4, 'w', '1111', '1111', null), image(5, 'v', '1111', '0000', null)], [1, 2], { seed: 1 }).ranking
  assert.deepEqual(ranked.map((r) => [r.name, r.score, r.differingPx, r.worstClassId]), [
    ['v', 1, 4, 1], ['z', 1, 2, 1], ['y', 1, 1, 1], ['x', 0.5, 2, 1], ['w', 0, 0, null],
  ])
})

test('the bootstrap interval is reproducible with its seed, differs with another, and holds the estimate', () => {
  const values = Array.from({ length: 60 }, (_, i) => Math.sin(i) * 0.3 + 0.1)
  const mean = (idx: Uint32Array) => idx.reduce((s, i) => s + values[i], 0) / idx.length
  const one = bootstrapInterval(values.length, mean, { seed: 42 })!
  assert.deepEqual(bootstrapInterval(values.length, mean, { seed: 42 }), one)
  assert.notDeepEqual(bootstrapInterval(values.length, mean, { seed: 43 }), one)
  assert.ok(one.low < one.estimate && one.estimate < one.high, JSON.stringify(one))
  // A 95 % interval of a mean of 60 values with sd ≈ 0.21 is about ±1.96·0.21/√60 ≈ ±0.054 wide.
  assert.ok(Math.abs(one.high - one.low - 2 * 0.054) < 0.03, JSON.stringify(one))
  assert.equal(bootstrapInterval(0, mean, { seed: 1 }), null)
  const constant = bootstrapInterval(5, () => 0.25, { seed: 1 })!
  assert.deepEqual([constant.low, constant.high], [0.25, 0.25])
})

test('seededRandom is the mulberry32 sequence', () => {
  const random = seededRandom(1)
  const first = [random(), random(), random()]
  assert.ok(first.every((v) => v >= 0 && v < 1))
  assert.deepEqual([seededRandom(1)(), seededRandom(1)()], [first[0], first[0]])
  assert.notEqual(first[0], first[1])
})
