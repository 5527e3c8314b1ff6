import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { countPixels, decodeRle, encodeRle } from '../../src-shared/rle.ts'
import { parseSeverstalCsv } from '../../src-shared/severstalCsv.ts'

const H = 256
const W = 1600
const knownAnswerFile = new URL('../fixtures/known-answer.csv', import.meta.url)

test('known answer: 0002cc93b.jpg class 1 decodes to 4,396 pixels starting at column 113, row 173', () => {
  const table = parseSeverstalCsv(readFileSync(knownAnswerFile, 'utf8'), 'known-answer.csv')
  const { rle } = table.masks[0]
  assert.ok(rle.startsWith('29102 12 29346 24'))
  const mask = decodeRle(rle, H, W)
  assert.equal(countPixels(mask), 4396)
  // First pixel in Kaggle order (column-major): scan columns, then rows.
  let first: [number, number] | null = null
  for (let col = 0; col < W && !first; col++) for (let row = 0; row < H; row++) if (mask[row * W + col]) { first = [col, row]; break }
  assert.deepEqual(first, [113, 173])
  assert.equal(encodeRle(mask, H, W), rle)
})

test('pixel numbering is column-major and 1-based', () => {
  const mask = new Uint8Array(3 * 4) // 3 rows × 4 columns
  mask[0 * 4 + 0] = 1 // pixel 1
  mask[1 * 4 + 0] = 1 // pixel 2
  mask[0 * 4 + 1] = 1 // pixel 4 (column 1, row 0)
  mask[2 * 4 + 3] = 1 // pixel 12, the last
  assert.equal(encodeRle(mask, 3, 4), '1 2 4 1 12 1')
})

test('edges: empty, full, a run across a column break', () => {
  assert.equal(encodeRle(new Uint8Array(H * W), H, W), '')
  assert.equal(countPixels(decodeRle('', H, W)), 0)
  assert.equal(encodeRle(new Uint8Array(H * W).fill(1), H, W), `1 ${H * W}`)
  const mask = new Uint8Array(H * W)
  mask[(H - 1) * W + 0] = 1 // bottom of column 0
  mask[0 * W + 1] = 1 // top of column 1
  assert.equal(encodeRle(mask, H, W), `${H} 2`)
})

test('round trip of random masks at 256×1600', () => {
  let seed = 7
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (let trial = 0; trial < 5; trial++) {
    const mask = new Uint8Array(H * W)
    for (let i = 0; i < mask.length; i++) mask[i] = random() < 0.3 ? 1 : 0
    assert.deepEqual(decodeRle(encodeRle(mask, H, W), H, W), mask)
  }
})

test('malformed strings are refused with the reason', () => {
  assert.throws(() => decodeRle('1 2 3', H, W), /odd number/)
  assert.throws(() => decodeRle('0 5', H, W), /positive integers/)
  assert.throws(() => decodeRle('10 5 12 1', H, W), /unsorted or overlaps/)
  assert.throws(() => decodeRle(`${H * W} 2`, H, W), /runs past/)
  assert.throws(() => encodeRle(new Uint8Array(10), H, W), /expected 256×1600/)
})
