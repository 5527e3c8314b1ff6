import assert from 'node:assert/strict'
import { test } from 'node:test'
import { imagePoint, screenPoint, toImage, toScreen, zoomAround } from '../../src-shared/coordinates.ts'
import { clearMask, diffMasks, floodFill, paintStroke, reapplyDelta, replaceMask, revertDelta } from '../../src-shared/maskEdit.ts'
import { countPixels } from '../../src-shared/rle.ts'

const H = 256
const W = 1600

test('a brush stroke paints a swept disc; undo restores exactly, redo reapplies', () => {
  const mask = new Uint8Array(H * W)
  mask[100 * W + 100] = 1 // already set: not part of the delta
  const original = mask.slice()
  const delta = paintStroke(mask, H, W, [imagePoint(100, 100), imagePoint(140, 100)], 5, 1)
  const painted = mask.slice()
  // A 41-px line swept by a radius-5 disc: about 41 columns × 11 rows, thinner at the caps.
  assert.ok(countPixels(mask) > 440 && countPixels(mask) < 540, `${countPixels(mask)} pixels`)
  assert.equal(mask[100 * W + 120], 1)
  assert.equal(mask[106 * W + 120], 0) // outside the radius
  assert.equal(delta.indices.length, countPixels(mask) - 1)
  revertDelta(mask, delta)
  assert.deepEqual(mask, original)
  reapplyDelta(mask, delta)
  assert.deepEqual(mask, painted)
  const erase = paintStroke(mask, H, W, [imagePoint(120, 100)], 3, 0)
  assert.ok(erase.indices.length > 20)
  assert.equal(mask[100 * W + 120], 0)
})

test('strokes clip at the image edge', () => {
  const mask = new Uint8Array(H * W)
  paintStroke(mask, H, W, [imagePoint(0, 0), imagePoint(-50, 300)], 4, 1)
  assert.equal(mask[0], 1)
  assert.equal(countPixels(mask) > 0, true)
})

test('flood fill fills the inside of a closed ring and not the outside', () => {
  const h = 10
  const w = 10
  const mask = new Uint8Array(h * w)
  for (let i = 2; i <= 7; i++) mask[2 * w + i] = mask[7 * w + i] = mask[i * w + 2] = mask[i * w + 7] = 1
  const ring = countPixels(mask)
  const delta = floodFill(mask, h, w, imagePoint(4.5, 4.5), 1)
  assert.equal(delta.indices.length, 16) // the 4×4 inside
  assert.equal(countPixels(mask), ring + 16)
  assert.equal(floodFill(mask, h, w, imagePoint(4, 4), 1).indices.length, 0) // already filled
  assert.equal(floodFill(mask, h, w, imagePoint(-1, 4), 1).indices.length, 0)
})

test('clear and replace report exactly the changed pixels', () => {
  const mask = Uint8Array.from([1, 0, 1, 1])
  const next = Uint8Array.from([0, 1, 1, 0])
  const replaced = replaceMask(mask, next)
  assert.deepEqual([...replaced.indices], [0, 1, 3])
  assert.deepEqual(mask, next)
  revertDelta(mask, replaced)
  assert.deepEqual([...mask], [1, 0, 1, 1])
  assert.deepEqual([...clearMask(mask).indices], [0, 2, 3])
  assert.deepEqual([...mask], [0, 0, 0, 0])
})

test('zoom keeps the image point under the cursor in place; conversions invert', () => {
  const viewport = { scale: 0.5, offsetX: 10, offsetY: 20 }
  const anchor = screenPoint(300, 60)
  const before = toImage(viewport, anchor)
  const zoomed = zoomAround(viewport, anchor, 4, 0.1, 8)
  assert.equal(zoomed.scale, 2)
  const after = toImage(zoomed, anchor)
  assert.ok(Math.abs(after.x - before.x) < 1e-9 && Math.abs(after.y - before.y) < 1e-9)
  assert.equal(zoomAround(viewport, anchor, 100, 0.1, 8).scale, 8) // capped at 800 %
  const p = imagePoint(123.5, 77)
  const back = toImage(zoomed, toScreen(zoomed, p))
  assert.ok(Math.abs(back.x - p.x) < 1e-9 && Math.abs(back.y - p.y) < 1e-9)
})

test('diffMasks gives the delta between two states', () => {
  const before = Uint8Array.from([0, 1, 1, 0])
  const after = Uint8Array.from([1, 1, 0, 0])
  const delta = diffMasks(before, after)
  assert.deepEqual([...delta.indices], [0, 2])
  const mask = after.slice()
  revertDelta(mask, delta)
  assert.deepEqual(mask, before)
})
