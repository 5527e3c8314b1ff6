// Tensor steps around a model run: flips for TTA, and the activation of each declared output kind.
import type { OutputKind, TensorLayout } from '../../src-shared/manifest.ts'

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

/** Where channel c of pixel i sits in one item of `channels` × `plane` values, per layout. */
export const LAYOUT_STRIDES: Record<TensorLayout, (channels: number, plane: number) => { channel: number; pixel: number }> = {
  NHWC: (channels) => ({ channel: 1, pixel: channels }),
  NCHW: (_, plane) => ({ channel: plane, pixel: 1 }),
}

/** Softmax across the channels of every pixel of `items` items, in place. */
export function softmaxInPlace(values: Float32Array, items: number, channels: number, plane: number, layout: TensorLayout): Float32Array {
  const strides = LAYOUT_STRIDES[layout](channels, plane)
  const exps = new Float64Array(channels)
  for (let b = 0; b < items; b++) {
    const item = b * channels * plane
    for (let i = 0; i < plane; i++) {
      const at = item + i * strides.pixel
      let max = -Infinity
      for (let c = 0; c < channels; c++) max = Math.max(max, values[at + c * strides.channel])
      let total = 0
      for (let c = 0; c < channels; c++) total += exps[c] = Math.exp(values[at + c * strides.channel] - max)
      for (let c = 0; c < channels; c++) values[at + c * strides.channel] = exps[c] / total
    }
  }
  return values
}

/**
 * The activation each declared output kind gets, in place: the one table from `output` to code.
 * probability: as the model gives it; logit: the sigmoid; softmax: across the channels.
 */
export const ACTIVATIONS: Record<OutputKind, (values: Float32Array, items: number, channels: number, plane: number, layout: TensorLayout) => Float32Array> = {
  probability: (values) => values,
  logit: (values) => sigmoidInPlace(values),
  softmax: softmaxInPlace,
}
