// The seed's post-processing, on stored uint8 probability maps at model resolution.
// This one function decides masks for display, for export and for the CLI, so what a reviewer sees
// for a threshold set is bit-for-bit what export writes.
//
// Quantisation rule: maps are stored as q = round(255·p). A pixel counts as "p > t" when q/255 > t.
// That moves a threshold by at most 1/510 against the float probabilities.
import { scaleMaskNearest } from './maskScale.ts'

/** Per-class post-processing settings; `minAreaModelPx` counts model-resolution pixels. */
export interface PostprocessProfile {
  readonly upper: readonly number[]
  readonly lower: readonly number[]
  readonly minAreaModelPx: readonly number[]
}

export interface ClassMasks {
  /** One 0/1 mask per class, row-major at model resolution (empty masks are all zeros). */
  readonly masks: Uint8Array[]
  /** Set pixels per class at model resolution. */
  readonly areasModelPx: number[]
}

/** Quantises probabilities in [0,1] to uint8 (q = round(255·p), clamped). */
export function quantizeProbabilities(probs: Float32Array, out = new Uint8Array(probs.length)): Uint8Array {
  for (let i = 0; i < probs.length; i++) {
    const q = Math.round(probs[i] * 255)
    out[i] = q < 0 ? 0 : q > 255 ? 255 : q
  }
  return out
}

/** Lookup table of `q/255 > threshold` for every q. */
export function aboveThresholdTable(threshold: number): Uint8Array {
  const table = new Uint8Array(256)
  for (let q = 0; q < 256; q++) table[q] = q / 255 > threshold ? 1 : 0
  return table
}

/**
 * Seed rule per class c: if fewer than minArea[c] pixels have p > upper[c], the class is empty;
 * otherwise the mask is p > lower[c] over the whole map. `probMapsU8` holds K planes of
 * `pixelsPerMap`, class-major.
 */
export function applyThresholds(probMapsU8: Uint8Array, pixelsPerMap: number, profile: PostprocessProfile): ClassMasks {
  const classCount = profile.upper.length
  if (probMapsU8.length !== classCount * pixelsPerMap) {
    throw new Error(`probability maps hold ${probMapsU8.length} values, expected ${classCount}×${pixelsPerMap}`)
  }
  const masks: Uint8Array[] = []
  const areasModelPx: number[] = []
  for (let c = 0; c < classCount; c++) {
    const plane = probMapsU8.subarray(c * pixelsPerMap, (c + 1) * pixelsPerMap)
    const mask = new Uint8Array(pixelsPerMap)
    let area = 0
    if (countAbove(plane, aboveThresholdTable(profile.upper[c])) >= profile.minAreaModelPx[c]) {
      const lower = aboveThresholdTable(profile.lower[c])
      for (let i = 0; i < pixelsPerMap; i++) area += mask[i] = lower[plane[i]]
    }
    masks.push(mask)
    areasModelPx.push(area)
  }
  return { masks, areasModelPx }
}

function countAbove(plane: Uint8Array, table: Uint8Array): number {
  let count = 0
  for (let i = 0; i < plane.length; i++) count += table[plane[i]]
  return count
}

/** The classifier gate: an image is segmented iff p >= threshold (the only `>=` in the pipeline). */
export function isGatedIn(gateProbability: number, threshold: number): boolean {
  return gateProbability >= threshold
}

export interface Size {
  readonly height: number
  readonly width: number
}

export interface ImageClassMask {
  /** 0/1 mask at image size, row-major. */
  readonly mask: Uint8Array
  readonly areaPx: number
}

/**
 * The whole display/export rule in one place: thresholds on the stored maps at model resolution,
 * then nearest-neighbour scaling to the image size. One mask per class, in class order.
 */
export function thresholdToImageMasks(probMapsU8: Uint8Array, mapSize: Size, imageSize: Size, profile: PostprocessProfile): ImageClassMask[] {
  const { masks } = applyThresholds(probMapsU8, mapSize.height * mapSize.width, profile)
  return masks.map((small) => {
    const mask = scaleMaskNearest(small, mapSize.height, mapSize.width, imageSize.height, imageSize.width)
    let areaPx = 0
    for (let i = 0; i < mask.length; i++) areaPx += mask[i]
    return { mask, areaPx }
  })
}
