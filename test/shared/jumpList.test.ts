import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hideSpecks, imagePxPerModelPx } from '../../src-shared/jumpList.ts'

test('image pixels per model pixel: the 2× reduction is 4, unknown maps 1', () => {
  assert.equal(imagePxPerModelPx({ height: 256, width: 1600 }, { height: 128, width: 800 }), 4)
  assert.equal(imagePxPerModelPx({ height: 256, width: 1600 }, { height: 256, width: 1600 }), 1)
  assert.equal(imagePxPerModelPx({ height: 256, width: 1600 }, null), 1)
  assert.equal(imagePxPerModelPx({ height: 256, width: 1600 }, { height: 0, width: 800 }), 1)
})

test('regions below their class minimum are hidden and counted; at the minimum they stay', () => {
  const regions = [
    { classId: 3, areaPx: 15128 },
    { classId: 1, areaPx: 36 },
    { classId: 1, areaPx: 148 },
    { classId: 3, areaPx: 4 },
    { classId: 2, areaPx: 5 },
  ]
  const { shown, hidden, hiddenByClass } = hideSpecks(regions, [148, 0, 1264, 4732])
  assert.deepEqual(shown.map((r) => r.areaPx), [15128, 148, 5])
  assert.equal(hidden, 2)
  assert.deepEqual([...hiddenByClass], [[1, 1], [3, 1]])
  assert.deepEqual(hideSpecks([], [10]).hidden, 0)
  assert.deepEqual(hideSpecks(regions, []).shown.length, 5, 'no minimum: everything shown')
})
