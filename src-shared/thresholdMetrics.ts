// Dice under any thresholds without re-thresholding a single map: per (image, class), cumulative
// histograms of the stored uint8 probabilities — over all pixels, and over the truth — give the
// mask area, the overlap with the truth and the seed's min-area count for every threshold in O(1).
// Exact for the display/export rule (q/255 > t at model resolution, nearest scaling to the image).
import { ClassTally, type ClassScore } from './metrics.ts'
import type { Size } from './postprocess.ts'
import type { ThresholdProfile } from './thresholdProfile.ts'
import { isSegmentedUnder } from './thresholdProfile.ts'

export interface ClassCounts {
  /** modelAbove[k]: model pixels with q >= k (k = 0…256). */
  readonly modelAbove: Uint32Array
  /** imageAbove[k]: image pixels whose model pixel has q >= k. */
  readonly imageAbove: Uint32Array
  /** truthAbove[k]: truth pixels whose model pixel has q >= k. */
  readonly truthAbove: Uint32Array
  readonly truthAreaPx: number
}

/** What the metrics need of one image: its gate probability and, if segmented, per-class counts. */
export interface ImageCounts {
  readonly gateProbability: number | null
  /** Null when the image has no maps (gated out when it ran): every class predicted empty. */
  readonly classes: readonly ClassCounts[] | null
  /** Truth area per class at image size (for images without maps). */
  readonly truthAreasPx: readonly number[]
}

/** Builds the counts of every class of one image. `truth` holds one image-size 0/1 mask per class. */
export function countClasses(probMapsU8: Uint8Array, mapSize: Size, imageSize: Size, truth: readonly Uint8Array[]): ClassCounts[] {
  const plane = mapSize.height * mapSize.width
  const srcRow = new Int32Array(imageSize.height)
  const srcCol = new Int32Array(imageSize.width)
  for (let y = 0; y < imageSize.height; y++) srcRow[y] = Math.min(mapSize.height - 1, Math.floor(((y + 0.5) * mapSize.height) / imageSize.height)) * mapSize.width
  for (let x = 0; x < imageSize.width; x++) srcCol[x] = Math.min(mapSize.width - 1, Math.floor(((x + 0.5) * mapSize.width) / imageSize.width))
  return truth.map((truthMask, c) => {
    const maps = probMapsU8.subarray(c * plane, (c + 1) * plane)
    const model = new Uint32Array(257)
    const image = new Uint32Array(257)
    const inTruth = new Uint32Array(257)
    for (let i = 0; i < plane; i++) model[maps[i]]++
    let truthArea = 0
    for (let y = 0; y < imageSize.height; y++) {
      const row = srcRow[y]
      const base = y * imageSize.width
      for (let x = 0; x < imageSize.width; x++) {
        const q = maps[row + srcCol[x]]
        image[q]++
        if (truthMask[base + x] !== 0) {
          inTruth[q]++
          truthArea++
        }
      }
    }
    return { modelAbove: suffixSums(model), imageAbove: suffixSums(image), truthAbove: suffixSums(inTruth), truthAreaPx: truthArea }
  })
}

/** The first q whose q/255 is above the threshold (the same comparison as the display rule). */
export function cutIndex(threshold: number): number {
  let k = 0
  while (k < 256 && !(k / 255 > threshold)) k++
  return k
}

/** Predicted area and overlap with the truth for one class under one profile. */
export function classOutcome(image: ImageCounts, classIndex: number, profile: ThresholdProfile): { predictedPx: number; overlapPx: number; truthPx: number } {
  const truthPx = image.truthAreasPx[classIndex]
  const counts = image.classes?.[classIndex]
  if (!counts || !isSegmentedUnder(profile, image.gateProbability)) return { predictedPx: 0, overlapPx: 0, truthPx }
  if (counts.modelAbove[cutIndex(profile.upper[classIndex])] < profile.minAreaModelPx[classIndex]) return { predictedPx: 0, overlapPx: 0, truthPx }
  const k = cutIndex(profile.lower[classIndex])
  return { predictedPx: counts.imageAbove[k], overlapPx: counts.truthAbove[k], truthPx }
}

/** Per-class Kaggle scores over the images under one profile (same definitions as scoreMasks). */
export function scoreUnderProfile(images: readonly ImageCounts[], classIds: readonly number[], profile: ThresholdProfile): ClassScore[] {
  return classIds.map((classId, c) => {
    const tally = new ClassTally(classId)
    for (const image of images) {
      const { predictedPx, overlapPx, truthPx } = classOutcome(image, c, profile)
      tally.add(predictedPx + truthPx === 0 ? 1 : (2 * overlapPx) / (predictedPx + truthPx), truthPx > 0, predictedPx > 0)
    }
    return tally.score()
  })
}

/** Candidate values searched by optimiseProfile. */
export const OPTIMISE_GRID = {
  upper: [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95],
  lower: [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9],
  minAreaModelPx: [0, 25, 50, 100, 150, 200, 300, 400, 600, 800, 1200, 2000],
} as const

/**
 * Per class, the (upper, lower, minArea) from the grid with the best mean Dice over the images
 * (ties keep the current values); the gate is left as it is. Classes are independent under the
 * metric, so each is searched on its own.
 */
export function optimiseProfile(images: readonly ImageCounts[], classIds: readonly number[], current: ThresholdProfile): ThresholdProfile {
  const upper = [...current.upper]
  const lower = [...current.lower]
  const minArea = [...current.minAreaModelPx]
  classIds.forEach((_, c) => {
    const meanDice = (u: number, l: number, m: number) => {
      const profile = { ...current, upper: withValue(upper, c, u), lower: withValue(lower, c, l), minAreaModelPx: withValue(minArea, c, m) }
      let sum = 0
      for (const image of images) {
        const { predictedPx, overlapPx, truthPx } = classOutcome(image, c, profile)
        sum += predictedPx + truthPx === 0 ? 1 : (2 * overlapPx) / (predictedPx + truthPx)
      }
      return sum
    }
    let best = meanDice(upper[c], lower[c], minArea[c])
    for (const u of OPTIMISE_GRID.upper) {
      for (const l of OPTIMISE_GRID.lower) {
        if (l > u) continue
        for (const m of OPTIMISE_GRID.minAreaModelPx) {
          const score = meanDice(u, l, m)
          if (score > best + 1e-12) {
            best = score
            upper[c] = u
            lower[c] = l
            minArea[c] = m
          }
        }
      }
    }
  })
  return { ...current, name: `${current.name} (optimised)`, upper, lower, minAreaModelPx: minArea }
}

function suffixSums(histogram: Uint32Array): Uint32Array {
  const out = new Uint32Array(257)
  for (let q = 255; q >= 0; q--) out[q] = out[q + 1] + histogram[q]
  return out
}

function withValue(values: readonly number[], index: number, value: number): number[] {
  const copy = [...values]
  copy[index] = value
  return copy
}
