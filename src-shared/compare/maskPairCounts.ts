// What a comparison needs of one (image, class): the areas of A's and B's masks, their overlap and,
// with truth, each side's overlap with it. Counted once per image from the masks at image size, so
// the statistics after it never touch a pixel.

export interface ClassPairCounts {
  readonly areaA: number
  readonly areaB: number
  readonly overlapAB: number
  /** Null when the image has no truth. */
  readonly truthArea: number | null
  readonly overlapATruth: number
  readonly overlapBTruth: number
}

/** Counts one class of one image; the masks are 0/1 and of equal length. */
export function countMaskPair(a: Uint8Array, b: Uint8Array, truth: Uint8Array | null): ClassPairCounts {
  if (a.length !== b.length || (truth && truth.length !== a.length)) throw new Error(`masks of ${a.length}, ${b.length} and ${truth?.length} pixels cannot be compared`)
  let areaA = 0
  let areaB = 0
  let overlapAB = 0
  let truthArea = 0
  let overlapATruth = 0
  let overlapBTruth = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    areaA += x
    areaB += y
    overlapAB += x & y
    if (truth) {
      const t = truth[i]
      truthArea += t
      overlapATruth += x & t
      overlapBTruth += y & t
    }
  }
  return { areaA, areaB, overlapAB, truthArea: truth ? truthArea : null, overlapATruth, overlapBTruth }
}

/** Dice of two areas and their overlap; 1 when both are empty (Kaggle's rule). */
export function diceOf(areaX: number, areaY: number, overlap: number): number {
  return areaX + areaY === 0 ? 1 : (2 * overlap) / (areaX + areaY)
}
