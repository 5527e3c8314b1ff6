// Kaggle RLE → COCO's uncompressed RLE, without decoding the mask. Both number pixels down each
// column, then across (column-major); Kaggle lists 1-based `start length` pairs of set pixels,
// COCO lists alternating run lengths that start with a run of zeros (0 when pixel 0 is set) and
// cover all H·W pixels.

export interface CocoRle {
  /** [height, width], as COCO writes it. */
  readonly size: readonly [number, number]
  readonly counts: readonly number[]
}

export interface MaskGeometry {
  /** Set pixels. */
  readonly area: number
  /** [x, y, width, height] in pixels: the tight box around the set pixels; all zeros when empty. */
  readonly bbox: readonly [number, number, number, number]
}

export function kaggleToCocoRle(rle: string, height: number, width: number): CocoRle {
  const counts: number[] = []
  let covered = 0 // pixels accounted for so far
  for (const [start, length] of pairs(rle)) {
    counts.push(start - 1 - covered, length)
    covered = start - 1 + length
  }
  const total = height * width
  if (covered > total) throw new Error(`RLE runs past the ${height}×${width} image`)
  if (covered < total) counts.push(total - covered)
  return { size: [height, width], counts }
}

/** Area and bounding box straight from the runs (a run may wrap from one column to the next). */
export function maskGeometry(rle: string, height: number): MaskGeometry {
  let area = 0
  let left = Infinity
  let right = -Infinity
  let top = Infinity
  let bottom = -Infinity
  for (const [start, length] of pairs(rle)) {
    const first = start - 1
    const last = first + length - 1
    area += length
    const firstCol = Math.floor(first / height)
    const lastCol = Math.floor(last / height)
    left = Math.min(left, firstCol)
    right = Math.max(right, lastCol)
    if (firstCol === lastCol) {
      top = Math.min(top, first % height)
      bottom = Math.max(bottom, last % height)
    } else {
      // A wrapping run holds the bottom row of its first column and the top row of its last.
      top = 0
      bottom = height - 1
    }
  }
  if (area === 0) return { area: 0, bbox: [0, 0, 0, 0] }
  return { area, bbox: [left, top, right - left + 1, bottom - top + 1] }
}

function* pairs(rle: string): Generator<[number, number]> {
  const text = rle.trim()
  if (text === '') return
  const values = text.split(/\s+/).map(Number)
  if (values.length % 2 !== 0) throw new Error(`RLE has an odd number of values (${values.length})`)
  for (let k = 0; k < values.length; k += 2) yield [values[k], values[k + 1]]
}
