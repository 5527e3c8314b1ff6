// Pure tensor helpers of the pipeline: image pixels → normalised model input (bilinear resize with
// half-pixel centres, as TensorFlow's default resize), flips for TTA, activations, and model output
// → class-major planes. Everything writes into caller-owned arrays to avoid copies.
import type { ModelManifest, TensorLayout } from '../../src-shared/manifest.ts'

export type InputSpec = ModelManifest['input']

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
  for (let c = 0; c < channels; c++) {
    const factor = spec.scale / spec.std[c]
    const offset = spec.mean[c] / spec.std[c]
    const left = new Int32Array(width)
    const right = new Int32Array(width)
    for (let x = 0; x < width; x++) {
      left[x] = cols.lo[x] * channels + c
      right[x] = cols.hi[x] * channels + c
    }
    for (let y = 0; y < height; y++) {
      const top = rows.lo[y] * rowStride
      const bottom = rows.hi[y] * rowStride
      const fy = rows.frac[y]
      let index = base + c * channelStride + y * width * pixelStride
      for (let x = 0; x < width; x++, index += pixelStride) {
        const l = left[x]
        const r = right[x]
        const fx = cols.frac[x]
        const upper = pixels[top + l] + (pixels[top + r] - pixels[top + l]) * fx
        const lower = pixels[bottom + l] + (pixels[bottom + r] - pixels[bottom + l]) * fx
        out[index] = (upper + (lower - upper) * fy) * factor - offset
      }
    }
  }
}

export type FlipAxis = 'height' | 'width'

/**
 * Mirrors a 4-D tensor along its height or width axis. `dims` are in `layout` order; the tensor
 * may hold any channel count (model inputs and segmenter outputs alike).
 */
export function flipTensor(data: Float32Array, dims: readonly number[], layout: TensorLayout, axis: FlipAxis): Float32Array {
  const [n, a, b, d] = dims
  // Normalise to [n][outer][rows][cols][inner] so one loop serves both layouts.
  const [rows, cols, inner, outer] = layout === 'NHWC' ? [a, b, d, 1] : [b, d, 1, a]
  const out = new Float32Array(data.length)
  const rowSize = cols * inner
  const planeSize = rows * rowSize
  for (let p = 0; p < n * outer; p++) {
    const plane = p * planeSize
    for (let y = 0; y < rows; y++) {
      const srcRow = plane + y * rowSize
      const dstRow = plane + (axis === 'height' ? rows - 1 - y : y) * rowSize
      if (axis === 'height') {
        out.set(data.subarray(srcRow, srcRow + rowSize), dstRow)
        continue
      }
      for (let x = 0; x < cols; x++) {
        const src = srcRow + x * inner
        const dst = dstRow + (cols - 1 - x) * inner
        for (let k = 0; k < inner; k++) out[dst + k] = data[src + k]
      }
    }
  }
  return out
}

export function sigmoidInPlace(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]))
  return values
}

/**
 * Copies item `batchIndex` of a segmenter output (layout order, K classes) into class-major planes
 * (K × height × width), the form the store and post-processing use.
 */
export function toClassPlanes(
  output: Float32Array,
  batchIndex: number,
  layout: TensorLayout,
  classes: number,
  height: number,
  width: number,
): Float32Array {
  const plane = height * width
  const item = plane * classes
  const source = output.subarray(batchIndex * item, (batchIndex + 1) * item)
  if (layout === 'NCHW') return source.slice()
  const planes = new Float32Array(item)
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < classes; c++) planes[c * plane + i] = source[i * classes + c]
  }
  return planes
}
