// Model output → class-major planes (K × height × width), the form the store and post-processing
// use, and their uint8 quantisation q = round(255·p).
import type { TensorLayout } from '../../src-shared/manifest.ts'

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
  const { plane, item, start } = itemSpan(batchIndex, classes, height, width)
  const source = output.subarray(start, start + item)
  if (layout === 'NCHW') return source.slice()
  const planes = new Float32Array(item)
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < classes; c++) planes[c * plane + i] = source[i * classes + c]
  }
  return planes
}

/**
 * Item `batchIndex` of a segmenter output (layout order, K classes) → K class-major uint8 maps,
 * q = round(255·p) clamped to [0, 255] — exactly `quantizeProbabilities(toClassPlanes(…))` in one
 * pass — and the highest q of each class.
 */
export function quantizeClassMaps(
  output: Float32Array,
  batchIndex: number,
  layout: TensorLayout,
  classes: number,
  height: number,
  width: number,
): { maps: Uint8Array; maxQ: number[] } {
  const { plane, item, start } = itemSpan(batchIndex, classes, height, width)
  const maps = new Uint8Array(item)
  if (layout === 'NHWC') {
    // One sequential pass over the pixels, each pixel's K classes to their K planes.
    const max = new Int32Array(classes)
    quantizeInterleaved(output, start, classes, plane, maps, max)
    return { maps, maxQ: [...max] }
  }
  const maxQ: number[] = []
  for (let c = 0; c < classes; c++) maxQ.push(quantizePlane(output, start + c * plane, maps, c * plane, plane))
  return { maps, maxQ }
}

/** Pixels per class plane, values per batch item, and where item `batchIndex` starts in the output. */
function itemSpan(batchIndex: number, classes: number, height: number, width: number): { plane: number; item: number; start: number } {
  const plane = height * width
  const item = plane * classes
  return { plane, item, start: batchIndex * item }
}

/** quantizePlane's rule for `plane` pixels of `classes` interleaved values from `from`. */
function quantizeInterleaved(source: Float32Array, from: number, classes: number, plane: number, out: Uint8Array, max: Int32Array): void {
  for (let i = 0, j = from; i < plane; i++) {
    for (let c = 0; c < classes; c++, j++) {
      const x = source[j] * 255 + 0.5
      const q = x >= 255 ? 255 : x > 0 ? x | 0 : 0
      out[c * plane + i] = q
      if (q > max[c]) max[c] = q
    }
  }
}

/**
 * q = round(255·p) clamped, for `count` consecutive values from `from`, written in order at `to`;
 * returns the highest q. floor(255·p + 0.5) is Math.round here: 255·p of a float32 p is
 * exact in a double, and so is adding 0.5 wherever it could matter.
 */
function quantizePlane(source: Float32Array, from: number, out: Uint8Array, to: number, count: number): number {
  let max = 0
  for (let i = 0, j = from; i < count; i++, j++) {
    const x = source[j] * 255 + 0.5
    // NaN and values below 0.5 give 0; storing a double in a Uint8Array truncates it.
    const q = x >= 255 ? 255 : x > 0 ? x | 0 : 0
    out[to + i] = q
    if (q > max) max = q
  }
  return max
}
