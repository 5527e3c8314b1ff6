import assert from 'node:assert/strict'
import { test } from 'node:test'
import { aboveThresholdTable, applyThresholds, isGatedIn, quantizeProbabilities } from '../../src-shared/postprocess.ts'
import { countPixels } from '../../src-shared/rle.ts'

const PLANE = 100 // a 10×10 map per class

/** Two-class maps: each class plane filled with `value`, then `hot` pixels set to `hotValue`. */
function maps(planes: { value: number; hot: number; hotValue: number }[]): Uint8Array {
  const out = new Uint8Array(planes.length * PLANE)
  planes.forEach((p, c) => {
    out.fill(p.value, c * PLANE, (c + 1) * PLANE)
    out.fill(p.hotValue, c * PLANE, c * PLANE + p.hot)
  })
  return out
}

test('upper is strict: q/255 == upper does not count toward the minimum area', () => {
  const profile = { upper: [180 / 255], lower: [100 / 255], minAreaModelPx: [10] }
  const atUpper = applyThresholds(maps([{ value: 120, hot: 10, hotValue: 180 }]), PLANE, profile)
  assert.equal(atUpper.areasModelPx[0], 0)
  const aboveUpper = applyThresholds(maps([{ value: 120, hot: 10, hotValue: 181 }]), PLANE, profile)
  assert.equal(aboveUpper.areasModelPx[0], PLANE) // every pixel is above lower
})

test('minArea: exactly minArea pixels above upper keeps the class, one fewer empties it', () => {
  const profile = { upper: [0.7], lower: [0.4], minAreaModelPx: [10] }
  assert.equal(applyThresholds(maps([{ value: 0, hot: 10, hotValue: 255 }]), PLANE, profile).areasModelPx[0], 10)
  assert.equal(applyThresholds(maps([{ value: 0, hot: 9, hotValue: 255 }]), PLANE, profile).areasModelPx[0], 0)
})

test('lower is strict and applies over the whole map, not only near the upper region', () => {
  const profile = { upper: [0.9], lower: [102 / 255], minAreaModelPx: [1] }
  const at = applyThresholds(maps([{ value: 102, hot: 1, hotValue: 255 }]), PLANE, profile)
  assert.equal(countPixels(at.masks[0]), 1) // only the hot pixel: 102/255 is not > lower
  const above = applyThresholds(maps([{ value: 103, hot: 1, hotValue: 255 }]), PLANE, profile)
  assert.equal(countPixels(above.masks[0]), PLANE)
})

test('classes are decided independently', () => {
  const profile = { upper: [0.7, 0.7], lower: [0.4, 0.4], minAreaModelPx: [5, 50] }
  const result = applyThresholds(maps([{ value: 0, hot: 20, hotValue: 255 }, { value: 0, hot: 20, hotValue: 255 }]), PLANE, profile)
  assert.deepEqual(result.areasModelPx, [20, 0])
})

test('gate is >=: exactly the threshold is segmented', () => {
  assert.equal(isGatedIn(0.8, 0.8), true)
  assert.equal(isGatedIn(0.7999999, 0.8), false)
})

test('quantisation rounds to nearest and clamps; the table matches q/255 > t', () => {
  assert.deepEqual([...quantizeProbabilities(new Float32Array([0, 0.5, 1, -0.2, 1.3, 0.4]))], [0, 128, 255, 0, 255, 102])
  const table = aboveThresholdTable(0.4)
  assert.equal(table[102], 0) // 102/255 == 0.4
  assert.equal(table[103], 1)
  assert.equal(aboveThresholdTable(1)[255], 0)
  assert.equal(aboveThresholdTable(0)[0], 0)
  assert.equal(aboveThresholdTable(0)[1], 1)
})

test('a map of the wrong size is refused', () => {
  assert.throws(() => applyThresholds(new Uint8Array(99), PLANE, { upper: [0.5], lower: [0.5], minAreaModelPx: [0] }), /expected 1×100/)
})
