// Kaggle/Severstal run-length encoding. Pixels are numbered 1…H·W down each column, then across
// (column-major: pixel col·H + row + 1); the string is sorted `start length` pairs; empty mask = ''.
// Masks are row-major Uint8Array bitplanes (0 or non-zero), index row·W + col.

/** Encodes a row-major mask of `height`×`width` as a Kaggle RLE string. */
export function encodeRle(mask: Uint8Array, height: number, width: number): string {
  checkSize(mask, height, width)
  const parts: number[] = []
  let runStart = -1
  let n = 0 // column-major pixel index, 0-based
  for (let col = 0; col < width; col++) {
    for (let row = 0, i = col; row < height; row++, i += width, n++) {
      if (mask[i] !== 0) {
        if (runStart < 0) runStart = n
      } else if (runStart >= 0) {
        parts.push(runStart + 1, n - runStart)
        runStart = -1
      }
    }
  }
  if (runStart >= 0) parts.push(runStart + 1, n - runStart)
  return parts.join(' ')
}

/** Decodes a Kaggle RLE string into a row-major 0/1 mask; throws on a malformed string. */
export function decodeRle(rle: string, height: number, width: number): Uint8Array {
  const mask = new Uint8Array(height * width)
  const runs = parseRleRuns(rle, height, width)
  for (let k = 0; k < runs.length; k += 2) {
    for (let n = runs[k] - 1, end = n + runs[k + 1]; n < end; n++) {
      const col = (n / height) | 0
      mask[(n - col * height) * width + col] = 1
    }
  }
  return mask
}

/** Why `rle` is not a mask of a height×width image, or null when it is one. */
export function rleProblem(rle: string, height: number, width: number): string | null {
  try {
    parseRleRuns(rle, height, width)
    return null
  } catch (error) {
    return (error as Error).message
  }
}

/**
 * The `start length` pairs of an RLE string, flat, after checking that they are whole numbers
 * (digits only), positive, sorted, not overlapping and inside the image; throws saying which pair
 * is wrong.
 */
export function parseRleRuns(rle: string, height: number, width: number): number[] {
  const text = rle.trim()
  if (text === '') return []
  const tokens = text.split(/\s+/)
  if (tokens.length % 2 !== 0) throw new Error(`RLE has an odd number of values (${tokens.length})`)
  const total = height * width
  const runs = new Array<number>(tokens.length)
  let previousEnd = 0
  for (let k = 0; k < tokens.length; k += 2) {
    const start = Number(tokens[k])
    const length = Number(tokens[k + 1])
    if (!/^\d+$/.test(tokens[k]) || !/^\d+$/.test(tokens[k + 1]) || start < 1 || length < 1) {
      throw new Error(`RLE pair ${k / 2 + 1} is not two positive integers: "${tokens[k]} ${tokens[k + 1]}"`)
    }
    if (start <= previousEnd) throw new Error(`RLE pair ${k / 2 + 1} (start ${start}) is unsorted or overlaps`)
    const end = start - 1 + length // exclusive, 0-based
    if (end > total) throw new Error(`RLE pair ${k / 2 + 1} runs past the ${height}×${width} image`)
    runs[k] = start
    runs[k + 1] = length
    previousEnd = end
  }
  return runs
}

/** Number of set pixels in a mask. */
export function countPixels(mask: Uint8Array): number {
  let count = 0
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) count++
  return count
}

function checkSize(mask: Uint8Array, height: number, width: number): void {
  if (mask.length !== height * width) {
    throw new Error(`mask has ${mask.length} pixels, expected ${height}×${width} = ${height * width}`)
  }
}
