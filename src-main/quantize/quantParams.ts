// The arithmetic of 8-bit linear quantization as ONNX defines it (QuantizeLinear: round half to
// even, then saturate): uint8 activations with a zero point, int8 weights symmetric per output
// channel, int32 biases at the product of the input's and the weight's scales.

export interface ActivationParams {
  readonly scale: number
  /** uint8 zero point: the integer that stands for 0.0 (exact, so zero padding stays exact). */
  readonly zeroPoint: number
}

/** uint8 parameters covering [min, max] and 0. A constant tensor gets scale 1 (any scale is exact). */
export function activationParams(min: number, max: number): ActivationParams {
  const lo = Math.min(min, 0)
  const hi = Math.max(max, 0)
  if (!(hi > lo)) return { scale: 1, zeroPoint: 0 }
  const scale = Math.fround((hi - lo) / 255)
  return { scale, zeroPoint: clamp(roundHalfEven(-lo / scale), 0, 255) }
}

export interface ChannelWeights {
  readonly values: Int8Array
  /** One scale per channel along `axis`. */
  readonly scales: Float32Array
  /** ‖W − dequantized W‖ / ‖W‖ over the whole tensor: how much the weights lose. */
  readonly relativeError: number
}

/**
 * Symmetric int8 per channel along `axis` of a tensor with `dims`. `bits` 7 keeps weights in
 * [−64, 63]: CPUs without VNNI multiply u8×s8 pairs into saturating 16-bit sums.
 */
export function quantizeWeights(data: Float32Array, dims: readonly number[], axis: number, bits: 7 | 8 = 8): ChannelWeights {
  const channels = dims[axis]
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1)
  const limit = bits === 8 ? 127 : 63
  const maxAbs = new Float64Array(channels)
  const channelOf = (i: number) => Math.floor(i / inner) % channels
  data.forEach((v, i) => {
    const c = channelOf(i)
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(v))
  })
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / limit : 1))
  const values = new Int8Array(data.length)
  let errorSq = 0
  let normSq = 0
  data.forEach((v, i) => {
    const scale = scales[channelOf(i)]
    const q = clamp(roundHalfEven(v / scale), -limit - 1, limit)
    values[i] = q
    errorSq += (v - q * scale) ** 2
    normSq += v * v
  })
  return { values, scales, relativeError: normSq > 0 ? Math.sqrt(errorSq / normSq) : 0 }
}

/** A bias as int32 at scale inputScale·weightScale[c] (zero point 0), as QLinearConv takes it. */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const scales = Float32Array.from(weightScales, (s) => inputScale * s)
  const values = Int32Array.from(bias, (b, c) => clamp(roundHalfEven(b / scales[c]), -(2 ** 31), 2 ** 31 - 1))
  return { values, scales }
}

/** QuantizeLinear then DequantizeLinear of one value: what the int8 graph sees for x. */
export function fakeQuantize(x: number, { scale, zeroPoint }: ActivationParams): number {
  return (clamp(roundHalfEven(x / scale) + zeroPoint, 0, 255) - zeroPoint) * scale
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  // Math.round rounds .5 up; ONNX rounds halves to the even neighbour.
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}
