// Image pixels → normalised model input: bilinear resize with half-pixel centres (TensorFlow's
// default resize), then (value·scale − mean) / std, written into the caller's array without copies.
import type { TensorLayout } from '../../src-shared/manifest.ts'

export interface InputSpec {
  readonly height: number
  readonly width: number
  readonly layout: TensorLayout
  readonly channels: number
  readonly scale: number
  readonly mean: readonly number[]
  readonly std: readonly number[]
}

/** Dimensions of a batch of model inputs in the manifest's layout. */
export function inputDims(spec: InputSpec, batch: number): number[] {
  const { height, width, channels } = spec
  return spec.layout === 'NHWC' ? [batch, height, width, channels] : [batch, channels, height, width]
}

interface Taps {
  lo: Int32Array
  hi: Int32Array
  frac: Float32Array
}

/** Bilinear taps with half-pixel centres and no antialiasing (an exact 2× reduction is the 2×2 mean). */
export function bilinearTaps(srcSize: number, dstSize: number): Taps {
  const scale = srcSize / dstSize
  const lo = new Int32Array(dstSize)
  const hi = new Int32Array(dstSize)
  const frac = new Float32Array(dstSize)
  for (let i = 0; i < dstSize; i++) {
    const at = (i + 0.5) * scale - 0.5
    const floor = Math.floor(at)
    lo[i] = Math.max(floor, 0)
    hi[i] = Math.min(Math.ceil(at), srcSize - 1)
    frac[i] = at - floor
  }
  return { lo, hi, frac }
}

/**
 * Resizes interleaved 8-bit pixels (srcHeight×srcWidth×channels) to the model size and writes
 * (value·scale − mean) / std into `out` as item `batchIndex` of a batch in the spec's layout.
 */
export function writeModelInput(
  pixels: Uint8Array,
  srcHeight: number,
  srcWidth: number,
  spec: InputSpec,
  out: Float32Array,
  batchIndex: number,
): void {
  const { height, width, channels, layout } = spec
  const rows = bilinearTaps(srcHeight, height)
  const cols = bilinearTaps(srcWidth, width)
  const plane = height * width
  const base = batchIndex * plane * channels
  // Per output element: NHWC steps by 1 across channels, NCHW by a whole plane.
  const channelStride = layout === 'NHWC' ? 1 : plane
  const pixelStride = layout === 'NHWC' ? channels : 1
  const rowStride = srcWidth * channels
  const factor = new Float64Array(channels)
  const offset = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    factor[c] = spec.scale / spec.std[c]
    offset[c] = spec.mean[c] / spec.std[c]
  }
  const left = new Int32Array(width)
  const right = new Int32Array(width)
  for (let x = 0; x < width; x++) {
    left[x] = cols.lo[x] * channels
    right[x] = cols.hi[x] * channels
  }
  // An exact 2× reduction (1600×256 → 800×128): every output is the 2×2 mean.
  const isHalf3 = channels === 3 && srcHeight === 2 * height && srcWidth === 2 * width
  const target3 = rowTarget3(factor, offset, out, pixelStride, channelStride, width)
  // One pass over the output, all channels of a pixel together: each source row is read while it
  // is in cache, and the NHWC output is written in order.
  for (let y = 0; y < height; y++) {
    const top = rows.lo[y] * rowStride
    const bottom = rows.hi[y] * rowStride
    const fy = rows.frac[y]
    const rowBase = base + y * width * pixelStride
    if (isHalf3) {
      writeRow3Half(pixels, top, bottom, target3, rowBase)
      continue
    }
    if (channels === 3) {
      writeRow3(pixels, top, bottom, fy, left, right, cols.frac, target3, rowBase)
      continue
    }
    for (let c = 0; c < channels; c++) {
      let index = rowBase + c * channelStride
      for (let x = 0; x < width; x++, index += pixelStride) {
        const l = left[x] + c
        const r = right[x] + c
        const fx = cols.frac[x]
        const upper = pixels[top + l] + (pixels[top + r] - pixels[top + l]) * fx
        const lower = pixels[bottom + l] + (pixels[bottom + r] - pixels[bottom + l]) * fx
        out[index] = (upper + (lower - upper) * fy) * factor[c] - offset[c]
      }
    }
  }
}

/** Where a 3-channel row's outputs go, and channels 0–2's factor and offset as plain numbers (read only for 3-channel images). */
interface RowTarget3 {
  readonly out: Float32Array
  readonly pixelStride: number
  readonly channelStride: number
  readonly width: number
  readonly f0: number
  readonly f1: number
  readonly f2: number
  readonly o0: number
  readonly o1: number
  readonly o2: number
}

function rowTarget3(
  factor: Float64Array,
  offset: Float64Array,
  out: Float32Array,
  pixelStride: number,
  channelStride: number,
  width: number,
): RowTarget3 {
  return {
    out,
    pixelStride,
    channelStride,
    width,
    f0: factor[0],
    f1: factor[1],
    f2: factor[2],
    o0: offset[0],
    o1: offset[1],
    o2: offset[2],
  }
}

/** One output row of a 3-channel image; the same arithmetic, element by element, as the general loop. */
function writeRow3(
  pixels: Uint8Array,
  top: number,
  bottom: number,
  fy: number,
  left: Int32Array,
  right: Int32Array,
  fracX: Float32Array,
  target: RowTarget3,
  rowBase: number,
): void {
  const { out, pixelStride, channelStride, width, f0, f1, f2, o0, o1, o2 } = target
  for (let x = 0, index = rowBase; x < width; x++, index += pixelStride) {
    const tl = top + left[x]
    const tr = top + right[x]
    const bl = bottom + left[x]
    const br = bottom + right[x]
    const fx = fracX[x]
    let upper = pixels[tl] + (pixels[tr] - pixels[tl]) * fx
    let lower = pixels[bl] + (pixels[br] - pixels[bl]) * fx
    out[index] = (upper + (lower - upper) * fy) * f0 - o0
    upper = pixels[tl + 1] + (pixels[tr + 1] - pixels[tl + 1]) * fx
    lower = pixels[bl + 1] + (pixels[br + 1] - pixels[bl + 1]) * fx
    out[index + channelStride] = (upper + (lower - upper) * fy) * f1 - o1
    upper = pixels[tl + 2] + (pixels[tr + 2] - pixels[tl + 2]) * fx
    lower = pixels[bl + 2] + (pixels[br + 2] - pixels[bl + 2]) * fx
    out[index + 2 * channelStride] = (upper + (lower - upper) * fy) * f2 - o2
  }
}

/**
 * One output row of an exact 2× reduction of a 3-channel image. With every tap at fraction 0.5 the
 * general formula is exact in doubles at each step, and equals (tl + tr + bl + br) · 0.25 — also
 * exact — so this gives the general loop's values bit for bit.
 */
function writeRow3Half(
  pixels: Uint8Array,
  top: number,
  bottom: number,
  target: RowTarget3,
  rowBase: number,
): void {
  const { out, pixelStride, channelStride, width, f0, f1, f2, o0, o1, o2 } = target
  for (let x = 0, t = top, b = bottom, index = rowBase; x < width; x++, t += 6, b += 6, index += pixelStride) {
    out[index] = (pixels[t] + pixels[t + 3] + pixels[b] + pixels[b + 3]) * 0.25 * f0 - o0
    out[index + channelStride] = (pixels[t + 1] + pixels[t + 4] + pixels[b + 1] + pixels[b + 4]) * 0.25 * f1 - o1
    out[index + 2 * channelStride] = (pixels[t + 2] + pixels[t + 5] + pixels[b + 2] + pixels[b + 5]) * 0.25 * f2 - o2
  }
}
