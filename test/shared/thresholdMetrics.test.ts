// The histogram metrics must agree exactly with thresholding the maps and scoring the RLEs.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scoreMasks } from '../../src-shared/metrics.ts'
import { thresholdToImageMasks } from '../../src-shared/postprocess.ts'
import { encodeRle } from '../../src-shared/rle.ts'
import type { MaskRow } from '../../src-shared/severstalCsv.ts'
import { classOutcome, countClasses, cutIndex, optimiseProfile, scoreUnderProfile, type ImageCounts } from '../../src-shared/thresholdMetrics.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'

const MAP = { height: 16, width: 40 }
const IMAGE = { height: 32, width: 80 }
const CLASSES = [1, 2]

function random(seed: number) {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

/** Maps with a bright blob per class, and truth blobs that partly overlap them. */
function makeImage(seed: number) {
  const rand = random(seed)
  const maps = new Uint8Array(2 * MAP.height * MAP.width)
  const truth = CLASSES.map(() => new Uint8Array(IMAGE.height * IMAGE.width))
  CLASSES.forEach((_, c) => {
    const cx = rand() * MAP.width
    const cy = rand() * MAP.height
    const hasDefect = rand() < 0.6
    for (let y = 0; y < MAP.height; y++) {
      for (let x = 0; x < MAP.width; x++) {
        const d = Math.hypot(x - cx, y - cy)
        maps[c * MAP.height * MAP.width + y * MAP.width + x] = Math.max(0, Math.min(255, Math.round(255 * Math.exp(-d / 4) + rand() * 40 - 20)))
      }
    }
    if (hasDefect) {
      for (let y = 0; y < IMAGE.height; y++) for (let x = 0; x < IMAGE.width; x++) if (Math.hypot(x / 2 - cx - 1, y / 2 - cy) < 3.5) truth[c][y * IMAGE.width + x] = 1
    }
  })
  return { maps, truth }
}

const profile: ThresholdProfile = { name: 't', gate: 0.5, upper: [0.7, 0.6], lower: [0.4, 0.3], minAreaModelPx: [3, 10] }

test('cutIndex follows q/255 > t exactly at the bounds', () => {
  assert.equal(cutIndex(102 / 255), 103)
  assert.equal(cutIndex(0.4), 103)
  assert.equal(cutIndex(0), 1)
  assert.equal(cutIndex(1), 256)
})

test('areas and overlaps equal thresholding the maps, for every profile tried', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const { maps, truth } = makeImage(seed)
    const counts = countClasses(maps, MAP, IMAGE, truth)
    const image: ImageCounts = { gateProbability: 0.9, classes: counts, truthAreasPx: counts.map((c) => c.truthAreaPx) }
    for (const p of [profile, { ...profile, upper: [0.95, 0.2], lower: [0.1, 0.2], minAreaModelPx: [0, 1] }]) {
      const masks = thresholdToImageMasks(maps, MAP, IMAGE, p)
      masks.forEach(({ mask, areaPx }, c) => {
        let overlap = 0
        let truthPx = 0
        for (let i = 0; i < mask.length; i++) {
          overlap += mask[i] & truth[c][i]
          truthPx += truth[c][i]
        }
        assert.deepEqual(classOutcome(image, c, p), { predictedPx: areaPx, overlapPx: overlap, truthPx }, `seed ${seed} class ${c}`)
      })
    }
  }
})

test('scores equal scoreMasks on the encoded masks, with the gate applied', () => {
  const images: ImageCounts[] = []
  const truthRows: MaskRow[] = []
  const predictedRows: MaskRow[] = []
  for (let seed = 1; seed <= 10; seed++) {
    const { maps, truth } = makeImage(seed)
    const counts = countClasses(maps, MAP, IMAGE, truth)
    const gate = seed % 3 === 0 ? 0.2 : 0.8 // every third image is gated out
    images.push({ gateProbability: gate, classes: counts, truthAreasPx: counts.map((c) => c.truthAreaPx) })
    const masks = gate >= profile.gate! ? thresholdToImageMasks(maps, MAP, IMAGE, profile) : []
    CLASSES.forEach((classId, c) => {
      truthRows.push({ imageId: `${seed}`, classId, rle: encodeRle(truth[c], IMAGE.height, IMAGE.width) })
      if (masks[c]) predictedRows.push({ imageId: `${seed}`, classId, rle: encodeRle(masks[c].mask, IMAGE.height, IMAGE.width) })
    })
  }
  const expected = scoreMasks(images.map((_, i) => `${i + 1}`), CLASSES, truthRows, predictedRows).perClass
  const actual = scoreUnderProfile(images, CLASSES, profile)
  actual.forEach((score, c) => {
    for (const key of ['meanDice', 'diceOnDefects', 'detectionRecall', 'falsePositiveRate'] as const) {
      assert.ok(Math.abs((score[key] ?? -1) - (expected[c][key] ?? -1)) < 1e-12, `class ${c} ${key}`)
    }
  })
})

test('optimise never lowers the mean Dice and keeps the gate', () => {
  const images = Array.from({ length: 10 }, (_, i) => {
    const { maps, truth } = makeImage(i + 50)
    const counts = countClasses(maps, MAP, IMAGE, truth)
    return { gateProbability: 0.9, classes: counts, truthAreasPx: counts.map((c) => c.truthAreaPx) }
  })
  const before = scoreUnderProfile(images, CLASSES, profile)
  const optimised = optimiseProfile(images, CLASSES, profile)
  const after = scoreUnderProfile(images, CLASSES, optimised)
  after.forEach((s, c) => assert.ok(s.meanDice >= before[c].meanDice))
  assert.ok(after.some((s, c) => s.meanDice > before[c].meanDice), 'something improved on this data')
  assert.equal(optimised.gate, profile.gate)
})

test('an image without maps predicts nothing', () => {
  const image: ImageCounts = { gateProbability: 0.1, classes: null, truthAreasPx: [5, 0] }
  assert.deepEqual(classOutcome(image, 0, profile), { predictedPx: 0, overlapPx: 0, truthPx: 5 })
})
