// The coil map's geometry: boxes to canvas pixels, zoom about a point, pan within the coil, hits.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { boxToCanvas, canvasXToMm, densityPerMetre, hitTest, panView, wholeCoil, zoomView } from '../../src-renderer/src/lib/coilLayout.ts'

const size = { width: 1000, height: 100 }
const coil = { lengthMm: 64_000, widthMm: 256 }

test('the whole coil spans the canvas: a box lands at its scaled place, at least a pixel in size', () => {
  const view = wholeCoil(coil.lengthMm)
  assert.deepEqual(boxToCanvas({ alongFromMm: 32_000, alongToMm: 32_640, acrossFromMm: 128, acrossToMm: 256 }, view, coil.widthMm, size), { x: 500, y: 50, w: 10, h: 50 })
  assert.deepEqual(boxToCanvas({ alongFromMm: 0, alongToMm: 1, acrossFromMm: 0, acrossToMm: 0.1 }, view, coil.widthMm, size), { x: 0, y: 0, w: 1, h: 1 })
  assert.equal(canvasXToMm(250, view, size), 16_000)
})

test('zoom keeps the point under the cursor, stops at 100 mm and at the whole coil; pan stays within the coil', () => {
  const view = wholeCoil(coil.lengthMm)
  const zoomed = zoomView(view, 0.5, 250, size, coil.lengthMm)
  assert.deepEqual(zoomed, { fromMm: 8000, toMm: 40_000 })
  assert.equal(canvasXToMm(250, zoomed, size), 16_000)
  assert.equal(zoomView(zoomed, 1e-9, 0, size, coil.lengthMm).toMm - zoomView(zoomed, 1e-9, 0, size, coil.lengthMm).fromMm, 100)
  assert.deepEqual(zoomView(zoomed, 10, 500, size, coil.lengthMm), view)
  assert.deepEqual(panView(zoomed, -250, size, coil.lengthMm), { fromMm: 16_000, toMm: 48_000 })
  assert.deepEqual(panView(zoomed, 10_000, size, coil.lengthMm), { fromMm: 0, toMm: 32_000 })
  assert.deepEqual(panView(zoomed, -10_000, size, coil.lengthMm), { fromMm: 32_000, toMm: 64_000 })
})

test('a hit finds the topmost rect under the point, with a little slack, else -1', () => {
  const rects = [{ x: 10, y: 10, w: 20, h: 20 }, { x: 20, y: 20, w: 5, h: 5 }]
  assert.equal(hitTest(rects, 22, 22), 1)
  assert.equal(hitTest(rects, 12, 12), 0)
  assert.equal(hitTest(rects, 31, 31), 0)
  assert.equal(hitTest(rects, 40, 40), -1)
})

test('density per metre counts each class by the metre its defects start in; the last partial metre included', () => {
  const at = (classId: number, mm: number) => ({ classId, box: { alongFromMm: mm, alongToMm: mm + 5, acrossFromMm: 0, acrossToMm: 1 } })
  const density = densityPerMetre([at(1, 0), at(1, 999), at(1, 1000), at(2, 2500), at(3, 10)], [1, 2], 2500)
  assert.deepEqual([...density], [[1, [2, 1, 0]], [2, [0, 0, 1]]])
})
