// One member to int8: calibrate, rewrite in QDQ form, run the result on the calibration inputs and
// compare it with the float member. A member whose probabilities move too far stays float whole.
import type { OutputKind } from '../../src-shared/manifest.ts'
import { openSession } from '../inference/session.ts'
import { calibrate } from './calibrate.ts'
import { calibrationTensors, quantizeGraph, QuantizeError, type KeptNode } from './qdqGraph.ts'

export interface MemberQuantizeOptions {
  readonly activation: OutputKind
  readonly weightBits: 7 | 8
  readonly maxWeightError: number
  /** The largest mean |p_int8 − p_fp32| over the calibration images the member may show. */
  readonly maxMeanDifference: number
  readonly threads: number
}

export interface MemberOutcome {
  readonly bytes: Uint8Array
  readonly precision: 'int8' | 'mixed' | 'fp32'
  readonly quantizedNodes: number
  readonly keptFp32: KeptNode[]
  /** Why the whole member stayed float (null when it did not). */
  readonly reason: string | null
  /** |p_int8 − p_fp32| on the calibration images (null when no int8 model was built). */
  readonly calibrationDifference: { readonly mean: number; readonly max: number } | null
  readonly worstWeightError: number
}

export async function quantizeMember(bytes: Uint8Array, inputs: readonly Float32Array[], dims: readonly number[], options: MemberQuantizeOptions): Promise<MemberOutcome> {
  const stayFloat = (reason: string, difference: MemberOutcome['calibrationDifference'] = null): MemberOutcome => ({
    bytes,
    precision: 'fp32',
    quantizedNodes: 0,
    keptFp32: [],
    reason,
    calibrationDifference: difference,
    worstWeightError: 0,
  })
  let graph
  let reference: Float32Array[]
  try {
    const calibration = await calibrate(bytes, calibrationTensors(bytes), inputs, dims, options.threads)
    reference = calibration.outputs
    graph = quantizeGraph(bytes, { ranges: calibration.ranges, weightBits: options.weightBits, maxWeightError: options.maxWeightError })
  } catch (error) {
    if (error instanceof QuantizeError) return stayFloat(error.message)
    throw error
  }
  if (graph.quantized.length === 0) return stayFloat('no node could be quantized')
  const session = await openSession({ bytes: graph.bytes, file: 'int8 member' }, { provider: 'cpu', threads: options.threads })
  let sum = 0
  let count = 0
  let max = 0
  try {
    for (const [i, input] of inputs.entries()) {
      const [int8] = await session.runAll(input, dims)
      const fp32 = reference[i]
      for (let j = 0; j < fp32.length; j++) {
        const d = Math.abs(asProbability(int8[j], options.activation) - asProbability(fp32[j], options.activation))
        sum += d
        if (d > max || Number.isNaN(d)) max = d
      }
      count += fp32.length
    }
  } finally {
    await session.release()
  }
  const difference = { mean: sum / count, max }
  if (!(difference.mean <= options.maxMeanDifference)) {
    return stayFloat(`its probabilities moved by ${difference.mean.toFixed(4)} on average in int8 (limit ${options.maxMeanDifference})`, difference)
  }
  return {
    bytes: graph.bytes,
    precision: graph.keptFp32.length > 0 ? 'mixed' : 'int8',
    quantizedNodes: graph.quantized.length,
    keptFp32: graph.keptFp32,
    reason: null,
    calibrationDifference: difference,
    worstWeightError: graph.worstWeightError,
  }
}

/** Logits compare as probabilities; softmax outputs are compared as they come. */
function asProbability(value: number, activation: OutputKind): number {
  return activation === 'logit' ? 1 / (1 + Math.exp(-value)) : value
}
