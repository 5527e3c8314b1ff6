// Area, centroid and bounding box of a Kaggle-RLE mask, from its runs (no decoded bitplane).
import { maskGeometry } from '../export/index.ts'

export interface MaskMoments {
  readonly area: number
  /** Mean column and row of the set pixels, in image pixels (pixel centres at .5 are not added). */
  readonly centroidX: number
  readonly centroidY: number
  readonly bbox: readonly [number, number, number, number]
}

export function maskMoments(rle: string, height: number): MaskMoments {
  const { area, bbox } = maskGeometry(rle, height)
  if (area === 0) return { area, centroidX: 0, centroidY: 0, bbox }
  const values = rle.trim().split(/\s+/).map(Number)
  let sumX = 0
  let sumY = 0
  for (let k = 0; k < values.length; k += 2) {
    // Split a run at column boundaries: within a column, rows are consecutive.
    let n = values[k] - 1
    let left = values[k + 1]
    while (left > 0) {
      const col = Math.floor(n / height)
      const row = n - col * height
      const take = Math.min(left, height - row)
      sumX += col * take
      sumY += take * row + (take * (take - 1)) / 2
      n += take
      left -= take
    }
  }
  return { area, centroidX: sumX / area, centroidY: sumY / area, bbox }
}
