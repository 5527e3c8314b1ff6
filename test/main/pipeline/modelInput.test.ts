import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toClassPlanes } from '../../../src-main/pipeline/classMaps.ts'
import { bilinearTaps, writeModelInput } from '../../../src-main/pipeline/modelInput.ts'
import { flipTensor } from '../../../src-main/pipeline/tensorOps.ts'

const spec = (layout: 'NHWC' | 'NCHW', channels: 1 | 3, height: number, width: number) => ({
  height, width, layout, channels, scale: 1, mean: channels === 3 ? [0, 0, 0] : [0], std: channels === 3 ? [1, 1, 1] : [1],
})

test('an exact 2× reduction is the 2×2 mean (half-pixel centres, no antialias)', () => {
  const pixels = new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80]) // 2×4, one channel
  const out = new Float32Array(2)
  writeModelInput(pixels, 2, 4, spec('NHWC', 1, 1, 2), out, 0)
  assert.deepEqual([...out], [(10 + 20 + 50 + 60) / 4, (30 + 40 + 70 + 80) / 4])
})

test('taps follow TensorFlow: (i + 0.5)·scale − 0.5, clamped at the edges', () => {
  const up = bilinearTaps(2, 4) // upsampling samples at -0.25, 0.25, 0.75, 1.25
  assert.deepEqual([...up.lo], [0, 0, 0, 1])
  assert.deepEqual([...up.hi], [0, 1, 1, 1])
  assert.deepEqual([...up.frac], [0.75, 0.25, 0.75, 0.25])
})

test('normalisation and layouts: NHWC interleaves, NCHW writes planes', () => {
  const pixels = new Uint8Array([255, 0, 51, 255, 0, 51]) // 1×2 RGB
  const s = { ...spec('NCHW', 3, 1, 2), scale: 1 / 255, mean: [0.5, 0, 0], std: [0.5, 1, 1] }
  const nchw = new Float32Array(6)
  writeModelInput(pixels, 1, 2, s, nchw, 0)
  assert.deepEqual([...nchw].map((v) => Math.round(v * 100) / 100), [1, 1, 0, 0, 0.2, 0.2])
  const nhwc = new Float32Array(12)
  writeModelInput(pixels, 1, 2, { ...s, layout: 'NHWC' }, nhwc, 1) // second item of a batch of 2
  assert.deepEqual([...nhwc.subarray(6)].map((v) => Math.round(v * 100) / 100), [1, 0, 0.2, 1, 0, 0.2])
})

test('flips mirror the right axis in both layouts and undo themselves', () => {
  // NHWC [1, 2, 3, 2]: value = 100·row + 10·col + channel
  const nhwc = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 6) + 10 * Math.floor((i % 6) / 2) + (i % 2))
  const h = flipTensor(nhwc, [1, 2, 3, 2], 'NHWC', 'width')
  assert.deepEqual([...h.subarray(0, 6)], [20, 21, 10, 11, 0, 1])
  assert.deepEqual(flipTensor(h, [1, 2, 3, 2], 'NHWC', 'width'), nhwc)
  const v = flipTensor(nhwc, [1, 2, 3, 2], 'NHWC', 'height')
  assert.deepEqual([...v.subarray(0, 6)], [100, 101, 110, 111, 120, 121])
  // NCHW [1, 2, 2, 3]: value = 100·channel + 10·row + col
  const nchw = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 6) + 10 * Math.floor((i % 6) / 3) + (i % 3))
  assert.deepEqual([...flipTensor(nchw, [1, 2, 2, 3], 'NCHW', 'width').subarray(6)], [102, 101, 100, 112, 111, 110])
  assert.deepEqual([...flipTensor(nchw, [1, 2, 2, 3], 'NCHW', 'height').subarray(0, 6)], [10, 11, 12, 0, 1, 2])
})

test('segmenter output becomes class-major planes from either layout', () => {
  const nhwc = new Float32Array([1, 2, 3, 4, 5, 6]) // [1, 1, 3, 2]: pixels (1,2) (3,4) (5,6)
  assert.deepEqual([...toClassPlanes(nhwc, 0, 'NHWC', 2, 1, 3)], [1, 3, 5, 2, 4, 6])
  const nchw = new Float32Array([0, 0, 0, 0, 1, 2, 3, 4]) // batch 2 of [2, 1, 2]
  assert.deepEqual([...toClassPlanes(nchw, 1, 'NCHW', 2, 1, 2)], [1, 2, 3, 4])
})
