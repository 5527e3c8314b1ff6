// Nearest-neighbour scaling to the image size and Kaggle RLE in one pass over the model-size mask:
// the same string and area as encodeRle(scaleMaskNearest(mask, …)) without building the
// image-size mask. Each source pixel stands for a rectangle of image pixels (nearest sampling with
// half-pixel centres maps whole, ordered ranges of image rows and columns to each source row and
// column), so runs are found per source column and then repeated for its image columns.

export interface ScaledRle {
  /** Kaggle RLE at the image size ('' when empty). */
  readonly rle: string
  /** Set pixels at the image size. */
  readonly area: number
}

export function scaledMaskRle(mask: Uint8Array, srcHeight: number, srcWidth: number, dstHeight: number, dstWidth: number): ScaledRle {
  if (mask.length !== srcHeight * srcWidth) throw new Error(`mask has ${mask.length} pixels, expected ${srcHeight}×${srcWidth}`)
  // Image rows [rowStart[r], rowStart[r + 1]) come from source row r (empty when skipped).
  const rowStart = ranges(srcHeight, dstHeight)
  const colStart = ranges(srcWidth, dstWidth)
  const parts: number[] = []
  let area = 0
  // The open run, as 0-based column-major start and end (exclusive) at the image size.
  let runStart = -1
  let runEnd = -1
  const runs = new Int32Array(2 * srcHeight + 2)
  for (let c = 0; c < srcWidth; c++) {
    const repeat = colStart[c + 1] - colStart[c]
    if (repeat === 0) continue
    // Runs of this source column in image rows: [runs[2k], runs[2k + 1]).
    let count = 0
    let open = -1
    for (let r = 0; r < srcHeight; r++) {
      const on = mask[r * srcWidth + c] !== 0 && rowStart[r + 1] > rowStart[r]
      if (on && open < 0) open = rowStart[r]
      else if (!on && open >= 0 && rowStart[r + 1] > rowStart[r]) {
        runs[count++] = open
        runs[count++] = rowStart[r]
        open = -1
      }
    }
    if (open >= 0) {
      runs[count++] = open
      runs[count++] = dstHeight
    }
    for (let k = 0; k < repeat; k++) {
      const columnBase = (colStart[c] + k) * dstHeight
      for (let j = 0; j < count; j += 2) {
        const start = columnBase + runs[j]
        const end = columnBase + runs[j + 1]
        area += end - start
        if (start === runEnd) {
          runEnd = end // continues the run from the bottom of the previous column
          continue
        }
        if (runStart >= 0) parts.push(runStart + 1, runEnd - runStart)
        runStart = start
        runEnd = end
      }
    }
  }
  if (runStart >= 0) parts.push(runStart + 1, runEnd - runStart)
  return { rle: parts.join(' '), area }
}

/** start[i] = the first of `dst` positions whose nearest source position is i or later; start[src] = dst. */
function ranges(src: number, dst: number): Int32Array {
  const start = new Int32Array(src + 1)
  let i = 0
  for (let d = 0; d < dst; d++) {
    const s = Math.min(src - 1, Math.floor(((d + 0.5) * src) / dst))
    while (i <= s) start[i++] = d
  }
  while (i <= src) start[i++] = dst
  return start
}
