// The int8 arithmetic, checked against values worked out by hand.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { activationParams, fakeQuantize, quantizeBias, quantizeWeights, roundHalfEven } from '../../../src-main/quantize/quantParams.ts'

test('halves round to the even neighbour, as QuantizeLinear does', () => {
  assert.deepEqual([2.5, 3.5, -2.5, -1.5, 0.5, 1.4].map(roundHalfEven), [2, 4, -2, -2, 0, 1])
})

test('uint8 activation parameters cover 0 exactly and the calibrated range', () => {
  assert.deepEqual(activationParams(0, 127.5), { scale: 0.5, zeroPoint: 0 })
  // 1 / fround(2/255) is just under 127.5
  assert.deepEqual(activationParams(-1, 1), { scale: Math.fround(2 / 255), zeroPoint: 127 })
  assert.deepEqual(activationParams(2, 5.1), { scale: Math.fround(5.1 / 255), zeroPoint: 0 }, 'a range above 0 still starts at 0')
  assert.deepEqual(activationParams(3, 3), { scale: Math.fround(3 / 255), zeroPoint: 0 })
  assert.deepEqual(activationParams(0, 0), { scale: 1, zeroPoint: 0 })
  assert.equal(fakeQuantize(0, activationParams(-1, 1)), 0)
  assert.equal(fakeQuantize(200, activationParams(0, 127.5)), 127.5, 'saturates at the top of the range')
})

test('weights are symmetric per output channel, 8 or 7 bits, with their relative error', () => {
  const w = quantizeWeights(Float32Array.of(1, -0.5, 0.25, 0, 2, 1), [3, 2], 0, 8)
  assert.deepEqual([...w.scales], [1 / 127, 0.25 / 127, 2 / 127].map(Math.fround))
  assert.deepEqual([...w.values], [127, -64, 127, 0, 127, 64])
  assert.ok(w.relativeError > 0 && w.relativeError < 0.01)
  const seven = quantizeWeights(Float32Array.of(0.75, 1, -1, 0.25), [2, 2], 1, 7)
  assert.deepEqual([...seven.values], [47, 63, -63, 16])
  const bias = quantizeBias(Float32Array.of(1, -1), 0.5, Float32Array.of(0.25, 0.125))
  assert.deepEqual([...bias.values], [8, -16])
})
