import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DIFF_COLOURS, drawComparison, nextView } from '../../src-renderer/src/lib/compareOverlay.ts'

// One class over four pixels: A only, B only, both, neither; a second class hidden.
const a = Uint8Array.from([1, 0, 1, 0])
const b = Uint8Array.from([0, 1, 1, 0])
const masks: [Uint8Array, Uint8Array][] = [[a, b], [Uint8Array.from([1, 1, 1, 1]), Uint8Array.from([1, 1, 1, 1])]]
const colors = ['#e6b800', '#00aaff']
const at = (pixels: Uint8ClampedArray, i: number) => Array.from(pixels.slice(i * 4, i * 4 + 4))

test('the difference draws A only, B only and both in their colours; one side alone in the class colour', () => {
  const pixels = new Uint8ClampedArray(16).fill(9) // cleared first
  drawComparison(pixels, masks, colors, 'diff', 150, [true, false])
  assert.deepEqual(at(pixels, 0), [...DIFF_COLOURS.onlyA, 150])
  assert.deepEqual(at(pixels, 1), [...DIFF_COLOURS.onlyB, 150])
  assert.deepEqual(at(pixels, 2), [...DIFF_COLOURS.both, 150])
  assert.deepEqual(at(pixels, 3), [0, 0, 0, 0])

  drawComparison(pixels, masks, colors, 'a', 115, [true, false])
  assert.deepEqual([0, 1, 2, 3].map((i) => at(pixels, i)), [[230, 184, 0, 115], [0, 0, 0, 0], [230, 184, 0, 115], [0, 0, 0, 0]])
  drawComparison(pixels, masks, colors, 'b', 115, [true, false])
  assert.deepEqual([0, 1, 2, 3].map((i) => at(pixels, i)), [[0, 0, 0, 0], [230, 184, 0, 115], [230, 184, 0, 115], [0, 0, 0, 0]])
})

test('the flip key goes from the difference to A, B and back', () => {
  assert.equal(nextView('diff'), 'a')
  assert.equal(nextView('a'), 'b')
  assert.equal(nextView('b'), 'diff')
})
