import assert from 'node:assert/strict'
import { test } from 'node:test'
import { findLabelledRegions, findRegions } from '../../src-shared/regions.ts'

test('8-connected regions with areas and boxes, largest first', () => {
  // 5×6: a diagonal pair (one region), a 2×2 block, and a single pixel.
  const mask = Uint8Array.from([
    1, 0, 0, 0, 1, 1,
    0, 1, 0, 0, 1, 1,
    0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0,
    0, 0, 1, 0, 0, 0,
  ])
  assert.deepEqual(findRegions(mask, 5, 6), [
    { areaPx: 4, top: 0, left: 4, bottom: 1, right: 5 },
    { areaPx: 2, top: 0, left: 0, bottom: 1, right: 1 },
    { areaPx: 1, top: 4, left: 2, bottom: 4, right: 2 },
  ])
  assert.deepEqual(findRegions(new Uint8Array(30), 5, 6), [])
})

test('a full 256×1600 mask is one region (no recursion limits)', () => {
  const [region] = findRegions(new Uint8Array(256 * 1600).fill(1), 256, 1600)
  assert.deepEqual(region, { areaPx: 256 * 1600, top: 0, left: 0, bottom: 255, right: 1599 })
})

test('labelled regions: each pixel names its region, in the order found', () => {
  const mask = Uint8Array.from([1, 0, 1, 1, 0, 1])
  const { regions, labels } = findLabelledRegions(mask, 2, 3)
  assert.deepEqual(regions, [
    { areaPx: 2, top: 0, left: 0, bottom: 1, right: 0 },
    { areaPx: 2, top: 0, left: 2, bottom: 1, right: 2 },
  ])
  assert.deepEqual([...labels], [1, 0, 2, 1, 0, 2])
})
