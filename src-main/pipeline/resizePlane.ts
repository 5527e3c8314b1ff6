// Scales one probability plane to another size by bilinear interpolation with half-pixel centres
// (the same sampling as the model input), so an output at a lower resolution than the model input
// is thresholded at the input's size. Equal sizes return the plane itself.
import { bilinearTaps } from './modelInput.ts'

export function resizePlane(source: Float32Array, srcHeight: number, srcWidth: number, dstHeight: number, dstWidth: number): Float32Array {
  if (srcHeight === dstHeight && srcWidth === dstWidth) return source
  const rows = bilinearTaps(srcHeight, dstHeight)
  const cols = bilinearTaps(srcWidth, dstWidth)
  const out = new Float32Array(dstHeight * dstWidth)
  for (let y = 0; y < dstHeight; y++) {
    const top = rows.lo[y] * srcWidth
    const bottom = rows.hi[y] * srcWidth
    const fy = rows.frac[y]
    for (let x = 0; x < dstWidth; x++) {
      const l = cols.lo[x]
      const r = cols.hi[x]
      const fx = cols.frac[x]
      const upper = source[top + l] + (source[top + r] - source[top + l]) * fx
      const lower = source[bottom + l] + (source[bottom + r] - source[bottom + l]) * fx
      out[y * dstWidth + x] = upper + (lower - upper) * fy
    }
  }
  return out
}
