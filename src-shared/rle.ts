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
  const text = rle.trim()
  if (text === '') return mask
  const values = text.split(/\s+/).map(Number)
  if (values.length % 2 !== 0) throw new Error(`RLE has an odd number of values (${values.length})`)
  const total = height * width
  let previousEnd = 0
  for (let k = 0; k < values.length; k += 2) {
    const start = values[k]
    const length = values[k + 1]
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 1 || length < 1) {
      throw new Error(`RLE pair ${k / 2 + 1} is not two positive integers: "${start} ${length}"`)
    }
    if (start <= previousEnd) throw new Error(`RLE pair ${k / 2 + 1} (start ${start}) is unsorted or overlaps`)
    const end = start - 1 + length // exclusive, 0-based
    if (end > total) throw new Error(`RLE pair ${k / 2 + 1} runs past the ${height}×${width} image`)
    for (let n = start - 1; n < end; n++) {
      const col = (n / height) | 0
      mask[(n - col * height) * width + col] = 1
    }
    previousEnd = end
  }
  return mask
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
