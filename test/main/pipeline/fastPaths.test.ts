// The pipeline's fused loops give exactly what the plain shared functions give: model input,
// quantised class maps, and scaled masks with their RLE and area.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scaleMaskNearest } from '../../../src-shared/maskScale.ts'
import { applyThresholds, quantizeProbabilities, thresholdToImageMasks } from '../../../src-shared/postprocess.ts'
import { encodeRle } from '../../../src-shared/rle.ts'
import { scaledMaskRle } from '../../../src-main/pipeline/maskRle.ts'
import { quantizeClassMaps, toClassPlanes } from '../../../src-main/pipeline/classMaps.ts'
import { bilinearTaps, writeModelInput } from '../../../src-main/pipeline/modelInput.ts'

/** A small deterministic generator, so that failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** The per-element definition of the model input (bilinear, half-pixel centres, then normalised). */
function referenceInput(pixels: Uint8Array, sh: number, sw: number, spec: Parameters<typeof writeModelInput>[3], out: Float32Array, b: number): void {
  const { height, width, channels, layout } = spec
  const rows = bilinearTaps(sh, height)
  const cols = bilinearTaps(sw, width)
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (row: number, col: number) => pixels[(row * sw + col) * channels + c]
        const fx = cols.frac[x]
        const upper = at(rows.lo[y], cols.lo[x]) + (at(rows.lo[y], cols.hi[x]) - at(rows.lo[y], cols.lo[x])) * fx
        const lower = at(rows.hi[y], cols.lo[x]) + (at(rows.hi[y], cols.hi[x]) - at(rows.hi[y], cols.lo[x])) * fx
        const index = layout === 'NHWC' ? ((b * height + y) * width + x) * channels + c : ((b * channels + c) * height + y) * width + x
        out[index] = (upper + (lower - upper) * rows.frac[y]) * (spec.scale / spec.std[c]) - spec.mean[c] / spec.std[c]
      }
    }
  }
}

test('model input: every layout, channel count and size equals the per-element definition', () => {
  const next = random(1)
  for (const layout of ['NHWC', 'NCHW'] as const) {
    for (const channels of [1, 3] as const) {
      for (const [sh, sw, h, w] of [[256, 1600, 128, 800], [37, 91, 16, 40], [10, 20, 16, 40]]) {
        const pixels = Uint8Array.from({ length: sh * sw * channels }, () => Math.floor(next() * 256))
        const spec = { height: h, width: w, layout, channels, scale: 1 / 255, mean: [0.485, 0.456, 0.406].slice(0, channels), std: [0.229, 0.224, 0.225].slice(0, channels) }
        const expected = new Float32Array(2 * h * w * channels)
        const actual = new Float32Array(2 * h * w * channels)
        referenceInput(pixels, sh, sw, spec, expected, 1)
        writeModelInput(pixels, sh, sw, spec, actual, 1)
        assert.deepEqual(actual, expected, `${layout} ${channels} ${sh}×${sw} → ${h}×${w}`)
      }
    }
  }
})

test('quantised class maps equal quantizeProbabilities(toClassPlanes(…)), edges included', () => {
  const next = random(2)
  const [k, h, w] = [4, 8, 30]
  const edges = [0, 1, -0, -0.1, 1.2, NaN, 0.5 / 255, 1.5 / 255, 254.5 / 255, 0.49999 / 255, 2 ** -140]
  for (const layout of ['NHWC', 'NCHW'] as const) {
    const output = Float32Array.from({ length: 3 * k * h * w }, (_, i) => (i < edges.length * 7 && i % 7 === 0 ? edges[i / 7] : next()))
    for (let b = 0; b < 3; b++) {
      const planes = toClassPlanes(output, b, layout, k, h, w)
      const expected = quantizeProbabilities(planes)
      const { maps, maxQ } = quantizeClassMaps(output, b, layout, k, h, w)
      assert.deepEqual(maps, expected)
      assert.deepEqual(maxQ, [0, 1, 2, 3].map((c) => Math.max(...expected.subarray(c * h * w, (c + 1) * h * w))))
    }
  }
})

test('scaled RLE and area equal encodeRle(scaleMaskNearest(…)) for up-, down- and uneven scaling', () => {
  const next = random(3)
  const sizes = [[128, 800, 256, 1600], [5, 7, 10, 14], [5, 7, 13, 9], [9, 11, 4, 5], [6, 6, 6, 6], [3, 4, 7, 17]]
  for (const [sh, sw, dh, dw] of sizes) {
    for (const density of [0, 0.02, 0.5, 0.97, 1]) {
      // Blobs and noise: runs of every length, runs across column ends, full and empty columns.
      const mask = Uint8Array.from({ length: sh * sw }, (_, i) => (next() < density || (density > 0 && i % sh < 2) ? 1 : 0))
      const scaled = scaleMaskNearest(mask, sh, sw, dh, dw)
      const { rle, area } = scaledMaskRle(mask, sh, sw, dh, dw)
      assert.equal(rle, encodeRle(scaled, dh, dw), `${sh}×${sw} → ${dh}×${dw} at ${density}`)
      assert.equal(area, scaled.reduce((a, v) => a + v, 0))
    }
  }
})

test('thresholds then scaled RLE are the display/export rule, thresholdToImageMasks, exactly', () => {
  const next = random(4)
  const [k, h, w] = [4, 16, 50]
  const profile = { upper: [0.7, 0.6, 0.5, 0.9], lower: [0.4, 0.5, 0.3, 0.2], minAreaModelPx: [5, 40, 1, 800] }
  // Smooth blobs of probability, so that some classes pass their minimum area and some do not.
  const maps = Uint8Array.from({ length: k * h * w }, (_, i) => Math.min(255, Math.floor(255 * Math.abs(Math.sin(i / 37 + (i % w) / 9)) * next() * 1.4)))
  const image = { height: 37, width: 120 }
  const expected = thresholdToImageMasks(maps, { height: h, width: w }, image, profile)
  const { masks } = applyThresholds(maps, h * w, profile)
  masks.forEach((mask, c) => {
    const { rle, area } = scaledMaskRle(mask, h, w, image.height, image.width)
    assert.equal(area, expected[c].areaPx)
    assert.equal(rle, encodeRle(expected[c].mask, image.height, image.width))
  })
  assert.ok(expected.some((m) => m.areaPx > 0) && expected.some((m) => m.areaPx === 0))
})

test('class disagreement: the one-pass loops give the per-class definition exactly, both layouts', async () => {
  const { classDisagreement, LEANING_PROBABILITY } = await import('../../../src-main/pipeline/disagreement.ts')
  const next = random(5)
  const [k, h, w] = [4, 9, 31]
  for (const layout of ['NHWC', 'NCHW'] as const) {
    const mean = Float32Array.from({ length: 2 * k * h * w }, () => next())
    const squares = Float32Array.from(mean, (p) => p * p + next() * 0.05 - 0.01)
    for (let b = 0; b < 2; b++) {
      const expected = [0, 1, 2, 3].map((c) => {
        let sum = 0
        let count = 0
        for (let i = 0; i < h * w; i++) {
          const index = layout === 'NHWC' ? b * h * w * k + i * k + c : b * h * w * k + c * h * w + i
          if (mean[index] <= LEANING_PROBABILITY) continue
          sum += Math.sqrt(Math.max(0, squares[index] - mean[index] * mean[index]))
          count++
        }
        return count === 0 ? 0 : sum / count
      })
      assert.deepEqual(classDisagreement(mean, squares, b, layout, k, h, w), expected)
    }
  }
})
