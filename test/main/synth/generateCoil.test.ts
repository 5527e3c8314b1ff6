// generateCoil: determinism, and masks that are exactly where the generator changed the image.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { COIL_HEIGHT, COIL_WIDTH, DEFECT_KINDS, generateCoil } from '../../../src-main/synth/index.ts'
import { MIN_STEP } from '../../../src-main/synth/stamp.ts'

test('same seed and index give the same image and masks; other seeds and indices differ', () => {
  const a = generateCoil(11, 3, { defectRate: 1 })
  const b = generateCoil(11, 3, { defectRate: 1 })
  assert.equal(a.gray.length, COIL_WIDTH * COIL_HEIGHT)
  assert.deepEqual(a.gray, b.gray)
  assert.deepEqual([...a.masks], [...b.masks])
  assert.equal(a.id, b.id)
  assert.notDeepEqual(generateCoil(12, 3).gray, a.gray)
  assert.notDeepEqual(generateCoil(11, 4).gray, a.gray)
  assert.notEqual(generateCoil(12, 3).id, a.id)
})

test('the defect-free render differs from the full one exactly on the masks, which never overlap', () => {
  for (let index = 0; index < 40; index++) {
    const coil = generateCoil(2024, index, { defectRate: 1 })
    const clean = generateCoil(2024, index, { defectRate: 1, drawDefects: false })
    assert.deepEqual(clean.masks, new Map())
    // The defect rate only decides about defects: the surface is the same at any rate.
    assert.deepEqual(generateCoil(2024, index, { defectRate: 0 }).gray, clean.gray)
    assert.deepEqual([...coil.masks.keys()], coil.classes, 'classes lists exactly the classes with a mask')
    const owners = new Uint8Array(coil.gray.length)
    for (const [classId, mask] of coil.masks) {
      let area = 0
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] === 0) continue
        area++
        assert.equal(owners[i], 0, `image ${index}: classes ${owners[i]} and ${classId} overlap at pixel ${i}`)
        owners[i] = classId
        const x = i % COIL_WIDTH
        assert.ok(x >= coil.strip.left && x < coil.strip.right, `image ${index}: class ${classId} mask off the strip at x=${x}`)
      }
      assert.ok(area >= DEFECT_KINDS[classId].minArea, `image ${index}: class ${classId} has only ${area} pixels`)
    }
    let changed = 0
    for (let i = 0; i < coil.gray.length; i++) {
      if (owners[i] === 0) {
        if (coil.gray[i] !== clean.gray[i]) assert.fail(`image ${index}: pixel ${i} changed outside every mask`)
      } else {
        if (Math.abs(coil.gray[i] - clean.gray[i]) < MIN_STEP) assert.fail(`image ${index}: mask pixel ${i} barely changed`)
        changed++
      }
    }
    assert.ok(coil.classes.length === 0 || changed > 0)
  }
})

test('about defect-rate of images have defects, classes in Severstal proportions', () => {
  const n = 300
  const perClass = [0, 0, 0, 0]
  let defective = 0
  for (let index = 0; index < n; index++) {
    const coil = generateCoil(77, index)
    if (coil.classes.length > 0) defective++
    for (const c of coil.classes) perClass[c - 1]++
  }
  assert.ok(defective > 0.4 * n && defective < 0.6 * n, `${defective} of ${n} defective`)
  // Severstal: 897 / 247 / 5,150 / 801 images per class among 6,666 defective ones.
  const share = perClass.map((count) => count / defective)
  assert.ok(share[0] > 0.06 && share[0] < 0.23, `class 1 share ${share[0]}`)
  assert.ok(share[1] > 0.003 && share[1] < 0.1, `class 2 share ${share[1]}`)
  assert.ok(share[2] > 0.65 && share[2] < 0.88, `class 3 share ${share[2]}`)
  assert.ok(share[3] > 0.05 && share[3] < 0.21, `class 4 share ${share[3]}`)
})

test('defect rate 0 draws no defects and 1 nearly always some', () => {
  let defective = 0
  for (let index = 0; index < 60; index++) {
    assert.deepEqual(generateCoil(5, index, { defectRate: 0 }).classes, [])
    if (generateCoil(5, index, { defectRate: 1 }).classes.length > 0) defective++
  }
  assert.ok(defective >= 58, `${defective} of 60`)
})

test('bad seeds, indices and rates are refused', () => {
  assert.throws(() => generateCoil(-1, 0), RangeError)
  assert.throws(() => generateCoil(1.5, 0), RangeError)
  assert.throws(() => generateCoil(2 ** 32, 0), RangeError)
  assert.throws(() => generateCoil(1, -1), RangeError)
  assert.throws(() => generateCoil(1, 0, { defectRate: 1.01 }), RangeError)
  assert.throws(() => generateCoil(1, 0, { defectRate: Number.NaN }), RangeError)
})
