// Positions in millimetres from the geometry: image heads, coil length, defect boxes and areas.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { boxOnCoil, coilGeometrySchema, imageExtentMm, imagePositionsMm, pixelAreaMm2, type CoilGeometry } from '../../src-shared/coilGeometry.ts'

const severstal = { width: 1600, height: 256 }
const alongX: CoilGeometry = { alongAxis: 'x', mmPerPixelX: 0.5, mmPerPixelY: 2 }
const alongY: CoilGeometry = { alongAxis: 'y', mmPerPixelX: 0.5, mmPerPixelY: 2 }

test('image extent follows the axis that runs along the strip', () => {
  assert.deepEqual(imageExtentMm(severstal, alongX), { alongMm: 800, acrossMm: 512 })
  assert.deepEqual(imageExtentMm(severstal, alongY), { alongMm: 512, acrossMm: 800 })
})

test('image heads are the summed lengths before them; 40 Severstal images at 0.5 mm/px make a 32 m coil', () => {
  const { positionsMm, lengthMm } = imagePositionsMm(Array(40).fill(severstal), alongX)
  assert.equal(positionsMm[0], 0)
  assert.equal(positionsMm[1], 800)
  assert.equal(positionsMm[39], 39 * 800)
  assert.equal(lengthMm, 32_000)
  const mixed = imagePositionsMm([{ width: 100, height: 10 }, { width: 300, height: 10 }, { width: 1, height: 10 }], alongX)
  assert.deepEqual(mixed, { positionsMm: [0, 50, 200], lengthMm: 200.5 })
  assert.deepEqual(imagePositionsMm([], alongX), { positionsMm: [], lengthMm: 0 })
})

test('a pixel box lands on the coil at the image head plus its offset, inclusive bounds covering whole pixels', () => {
  const box = { top: 10, left: 100, bottom: 19, right: 199 }
  assert.deepEqual(boxOnCoil(box, 1000, alongX), { alongFromMm: 1050, alongToMm: 1100, acrossFromMm: 20, acrossToMm: 40 })
  assert.deepEqual(boxOnCoil(box, 1000, alongY), { alongFromMm: 1020, alongToMm: 1040, acrossFromMm: 50, acrossToMm: 100 })
  assert.equal(pixelAreaMm2(100, alongX), 100)
})

test('the geometry schema refuses zero, negative and unknown axes', () => {
  assert.equal(coilGeometrySchema.safeParse(alongX).success, true)
  for (const bad of [{ ...alongX, mmPerPixelX: 0 }, { ...alongX, mmPerPixelY: -1 }, { ...alongX, alongAxis: 'z' }]) {
    assert.equal(coilGeometrySchema.safeParse(bad).success, false, JSON.stringify(bad))
  }
})
