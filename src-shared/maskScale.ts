// Nearest-neighbour scaling of binary masks between model and image resolution. For the seed's
// 128×800 → 256×1600 this is exact 2× pixel replication, which equals bilinear-then-0.5.

/** Scales a row-major mask with half-pixel-centre nearest sampling. */
export function scaleMaskNearest(
  mask: Uint8Array,
  srcHeight: number,
  srcWidth: number,
  dstHeight: number,
  dstWidth: number,
): Uint8Array {
  if (mask.length !== srcHeight * srcWidth) {
    throw new Error(`mask has ${mask.length} pixels, expected ${srcHeight}×${srcWidth}`)
  }
  const out = new Uint8Array(dstHeight * dstWidth)
  const srcCols = new Int32Array(dstWidth)
  for (let x = 0; x < dstWidth; x++) srcCols[x] = Math.min(srcWidth - 1, Math.floor(((x + 0.5) * srcWidth) / dstWidth))
  for (let y = 0; y < dstHeight; y++) {
    const srcRow = Math.min(srcHeight - 1, Math.floor(((y + 0.5) * srcHeight) / dstHeight)) * srcWidth
    const dstRow = y * dstWidth
    for (let x = 0; x < dstWidth; x++) out[dstRow + x] = mask[srcRow + srcCols[x]]
  }
  return out
}
