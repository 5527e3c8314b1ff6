// The generator's small pure parts: ids, class plan, stamping rules, noise range.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { planClasses, SEVERSTAL_COMBINATIONS } from '../../../src-main/synth/classPlan.ts'
import { coilId, MAX_COIL_INDEX } from '../../../src-main/synth/coilId.ts'
import { COIL_PIXELS, COIL_WIDTH, type DefectShape } from '../../../src-main/synth/frame.ts'
import { createNoise2, fbm2, noise1 } from '../../../src-main/synth/noise.ts'
import { Rng } from '../../../src-main/synth/prng.ts'
import { stampDefect, strengthAt, type Canvas } from '../../../src-main/synth/stamp.ts'

test('coil ids: nine hex digits, unique within a seed, keyed by the seed', () => {
  const ids = new Set<string>()
  for (let index = 0; index < 20000; index++) {
    const id = coilId(9, index)
    assert.match(id, /^[0-9a-f]{9}$/)
    ids.add(id)
  }
  assert.equal(ids.size, 20000)
  assert.match(coilId(9, MAX_COIL_INDEX), /^[0-9a-f]{9}$/)
  assert.notEqual(coilId(9, 0), coilId(10, 0))
  assert.throws(() => coilId(9, MAX_COIL_INDEX + 1), RangeError)
})

test('the combination table reproduces Severstal\'s per-class counts and the class plan follows it', () => {
  const perClass = [0, 0, 0, 0]
  let images = 0
  for (const c of SEVERSTAL_COMBINATIONS) {
    images += c.images
    for (const classId of c.classes) perClass[classId - 1] += c.images
  }
  assert.equal(images, 6666)
  assert.deepEqual(perClass, [897, 247, 5150, 801])

  const rng = new Rng(1)
  const drawn = [0, 0, 0, 0]
  let defective = 0
  const n = 200_000
  for (let k = 0; k < n; k++) {
    const classes = planClasses(rng, 0.5)
    if (classes.length > 0) defective++
    for (const c of classes) drawn[c - 1]++
  }
  assert.ok(Math.abs(defective / n - 0.5) < 0.01)
  perClass.forEach((count, c) => assert.ok(Math.abs(drawn[c] / defective - count / 6666) < 0.01, `class ${c + 1}`))
})

test('strength is zero below the mask threshold and at least 45 % from it on', () => {
  assert.equal(strengthAt(0), 0)
  assert.equal(strengthAt(0.4999), 0)
  assert.equal(strengthAt(0.5), 0.45)
  assert.equal(strengthAt(1), 1)
})

function square(classId: 1 | 2 | 3 | 4, left: number, top: number, size: number, delta: number): DefectShape {
  return { classId, left, top, width: size, height: size, alpha: new Float32Array(size * size).fill(1), delta: new Float32Array(size * size).fill(delta) }
}

test('stamping refuses overlap with another class and shapes below the minimum area, clips to the strip', () => {
  const surface = new Uint8Array(COIL_PIXELS).fill(100)
  const canvas: Canvas = { surface, gray: surface.slice(), owner: new Uint8Array(COIL_PIXELS), strip: { left: 10, right: 1000 } }
  assert.equal(stampDefect(canvas, square(3, 20, 20, 10, -40), 50), 100)
  assert.equal(canvas.gray[25 * COIL_WIDTH + 25], 60)
  assert.equal(stampDefect(canvas, square(1, 25, 25, 10, 40), 1), 0, 'overlaps class 3')
  assert.equal(canvas.gray[29 * COIL_WIDTH + 29], 60, 'a refused shape draws nothing')
  assert.equal(stampDefect(canvas, square(3, 25, 25, 10, -40), 1), 100, 'same class may overlap')
  assert.equal(stampDefect(canvas, square(2, 100, 100, 5, 40), 26), 0, 'below the minimum area')
  assert.equal(stampDefect(canvas, square(2, 5, 100, 10, 40), 1), 50, 'half of it lies left of the strip')
  assert.equal(canvas.owner[100 * COIL_WIDTH + 9], 0)
  // A change too small to see, or clamped away, still moves the pixel MIN_STEP from the surface.
  const bright = new Uint8Array(COIL_PIXELS).fill(254)
  const c2: Canvas = { surface: bright, gray: bright.slice(), owner: new Uint8Array(COIL_PIXELS), strip: { left: 0, right: COIL_WIDTH } }
  stampDefect(c2, square(1, 0, 0, 4, 30), 1)
  assert.equal(c2.gray[0], 251)
})

test('noise stays within [-1, 1]', () => {
  const noise = createNoise2(42)
  for (let k = 0; k < 10000; k++) {
    const v = fbm2(noise, k * 0.37, k * 0.11, 4)
    assert.ok(v >= -1 && v <= 1)
  }
  for (const v of noise1(1000, 7, new Rng(3))) assert.ok(v >= -1 && v <= 1)
})
