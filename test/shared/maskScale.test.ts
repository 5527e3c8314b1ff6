import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { scaleMaskNearest } from '../../src-shared/maskScale.ts'
import { countPixels, decodeRle } from '../../src-shared/rle.ts'

test('2× nearest scaling replicates each model pixel into a 2×2 block', () => {
  const small = new Uint8Array([1, 0, 0, 1]) // 2×2
  assert.deepEqual([...scaleMaskNearest(small, 2, 2, 4, 4)], [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1])
})

test('128×800 → 256×1600: four times the area, and back down is the identity', () => {
  const mask = new Uint8Array(128 * 800)
  for (let i = 0; i < mask.length; i += 7) mask[i] = 1
  const big = scaleMaskNearest(mask, 128, 800, 256, 1600)
  assert.equal(countPixels(big), 4 * countPixels(mask))
  assert.deepEqual(scaleMaskNearest(big, 256, 1600, 128, 800), mask)
})

test('known answer: 2×2-mean > 0.5 to 128×800 then replicated back gives 4,124 pixels', () => {
  const text = readFileSync(new URL('../fixtures/known-answer.csv', import.meta.url), 'utf8')
  const rle = text.trim().split('\n')[1].split(',')[2]
  const full = decodeRle(rle, 256, 1600)
  const small = new Uint8Array(128 * 800)
  for (let y = 0; y < 128; y++) {
    for (let x = 0; x < 800; x++) {
      const sum = full[2 * y * 1600 + 2 * x] + full[2 * y * 1600 + 2 * x + 1] + full[(2 * y + 1) * 1600 + 2 * x] + full[(2 * y + 1) * 1600 + 2 * x + 1]
      small[y * 800 + x] = sum / 4 > 0.5 ? 1 : 0
    }
  }
  assert.equal(countPixels(small), 1031)
  assert.equal(countPixels(scaleMaskNearest(small, 128, 800, 256, 1600)), 4124)
})

test('a mask of the wrong size is refused', () => {
  assert.throws(() => scaleMaskNearest(new Uint8Array(3), 2, 2, 4, 4), /expected 2×2/)
})
