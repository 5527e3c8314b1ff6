// How much the ensemble's members (and TTA views) disagree on each class of one image: the mean
// standard deviation of their probabilities over the pixels the ensemble leans towards (mean above
// LEANING_PROBABILITY). 0 where no pixel leans; stored per class to sort the review queue.
import type { TensorLayout } from '../../src-shared/manifest.ts'

export const LEANING_PROBABILITY = 0.3

export function classDisagreement(
  mean: Float32Array,
  meanSquares: Float32Array,
  batchIndex: number,
  layout: TensorLayout,
  classes: number,
  height: number,
  width: number,
): number[] {
  const plane = height * width
  const base = batchIndex * plane * classes
  const sums = new Float64Array(classes)
  const counts = new Uint32Array(classes)
  // Per class the pixels are summed in the same order in both layouts; NHWC is read in one
  // sequential pass, NCHW plane by plane.
  if (layout === 'NHWC') spreadInterleaved(mean, meanSquares, base, classes, plane, sums, counts)
  else for (let c = 0; c < classes; c++) spreadPlane(mean, meanSquares, base + c * plane, plane, sums, counts, c)
  return Array.from(sums, (sum, c) => (counts[c] === 0 ? 0 : sum / counts[c]))
}

function spreadInterleaved(mean: Float32Array, meanSquares: Float32Array, base: number, classes: number, plane: number, sums: Float64Array, counts: Uint32Array): void {
  for (let i = 0, index = base; i < plane; i++) {
    for (let c = 0; c < classes; c++, index++) {
      const p = mean[index]
      if (p <= LEANING_PROBABILITY) continue
      sums[c] += Math.sqrt(Math.max(0, meanSquares[index] - p * p))
      counts[c]++
    }
  }
}

function spreadPlane(mean: Float32Array, meanSquares: Float32Array, from: number, plane: number, sums: Float64Array, counts: Uint32Array, c: number): void {
  let sum = 0
  let count = 0
  for (let index = from; index < from + plane; index++) {
    const p = mean[index]
    if (p <= LEANING_PROBABILITY) continue
    sum += Math.sqrt(Math.max(0, meanSquares[index] - p * p))
    count++
  }
  sums[c] += sum
  counts[c] += count
}
