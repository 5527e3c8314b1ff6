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
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < plane; i++) {
      const index = layout === 'NHWC' ? base + i * classes + c : base + c * plane + i
      const p = mean[index]
      if (p <= LEANING_PROBABILITY) continue
      sums[c] += Math.sqrt(Math.max(0, meanSquares[index] - p * p))
      counts[c]++
    }
  }
  return Array.from(sums, (sum, c) => (counts[c] === 0 ? 0 : sum / counts[c]))
}
