// Rewrites a float ONNX model into QDQ form: QuantizeLinear/DequantizeLinear pairs around the
// activations that Conv, Gemm, MatMul, Concat, Resize and MaxPool read, int8 weights per output
// channel and int32 biases behind DequantizeLinear. onnxruntime fuses each DQ → op → Q group into
// its integer kernel (QLinearConv, QGemm, QLinearConcat, …), and drops a Relu that a Q with zero
// point 0 follows, so a Conv → Relu pair runs as one QLinearConv.
//
// A node whose weights lose too much in int8 stays float (its neighbours may still be int8).
import {
  DATA_TYPE,
  defaultOpset,
  floatAttributeOf,
  intAttribute,
  intAttributeOf,
  readFloatTensor,
  readModel,
  tensorPayload,
  valueInfoName,
  writeModel,
  type EditableModel,
  type GraphNode,
} from '../inference/onnxModel.ts'
import { activationParams, quantizeBias, quantizeWeights, type ActivationParams } from './quantParams.ts'

export interface TensorRange {
  readonly min: number
  readonly max: number
}

export interface QdqOptions {
  /** Calibrated ranges of activation tensors, by name. */
  readonly ranges: ReadonlyMap<string, TensorRange>
  /** 7 keeps weights in [−64, 63] (CPUs without VNNI); default 8. */
  readonly weightBits?: 7 | 8
  /** A node whose weights' relative error exceeds this stays float (default 0.03). */
  readonly maxWeightError?: number
}

export interface KeptNode {
  readonly node: string
  readonly reason: string
}

export interface QdqResult {
  readonly bytes: Uint8Array
  /** Nodes now read int8 inputs, by label. */
  readonly quantized: string[]
  readonly keptFp32: KeptNode[]
  /** Largest relative weight error among the quantized nodes. */
  readonly worstWeightError: number
}

export class QuantizeError extends Error {}

const COMPUTE = new Set(['Conv', 'Gemm', 'MatMul'])
/** Operators whose output takes its input's quantization (their values stay within the input's range). */
const SAME_RANGE = new Set(['Resize', 'MaxPool'])
export const DEFAULT_MAX_WEIGHT_ERROR = 0.03

/** Single-input operators a graph output may sit behind; what feeds them is kept in float. */
const TOWARDS_OUTPUT = new Set(['Sigmoid', 'Softmax', 'Identity', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Resize', 'Cast'])

/** The tensors calibration must measure: every activation a quantizable node reads, and their outputs. */
export function calibrationTensors(bytes: Uint8Array): string[] {
  const model = readModel(bytes)
  const names = new Set<string>()
  for (const node of model.nodes) {
    for (const input of activationInputs(node, model)) names.add(input)
    if (COMPUTE.has(node.opType)) names.add(node.outputs[0])
  }
  return [...names]
}

/**
 * Whether a Conv/Gemm/MatMul output gets its own Q → DQ, so that onnxruntime fuses the node into
 * an integer kernel even when float operators read its result (SiLU, residual Add). Not when a Relu
 * reads it (the Relu's output is quantized instead, and the Relu disappears), and not on the way to
 * a graph output: the final logits stay float, where 256 levels would move the probabilities.
 */
function quantizesOutput(name: string, model: EditableModel, consumersOf: Map<string, GraphNode[]>, graphOutputs: Set<string>): boolean {
  const consumers = consumersOf.get(name) ?? []
  if (consumers.length === 0 || consumers.every((c) => c.opType === 'Relu')) return false
  const reachesOutput = (tensor: string, depth: number): boolean =>
    graphOutputs.has(tensor) || (depth < 16 && (consumersOf.get(tensor) ?? []).some((c) => TOWARDS_OUTPUT.has(c.opType) && reachesOutput(c.outputs[0], depth + 1)))
  return !reachesOutput(name, 0)
}

export function quantizeGraph(bytes: Uint8Array, options: QdqOptions): QdqResult {
  const model = readModel(bytes)
  const opset = defaultOpset(model)
  if (opset < 13) throw new QuantizeError(`operator set ${opset} is below 13 (per-channel DequantizeLinear needs 13)`)
  const bits = options.weightBits ?? 8
  const maxError = options.maxWeightError ?? DEFAULT_MAX_WEIGHT_ERROR
  const keptFp32: KeptNode[] = []
  const quantized: string[] = []
  const added: GraphNode[] = []
  const producerOf = new Map<string, GraphNode>()
  for (const node of model.nodes) for (const out of node.outputs) producerOf.set(out, node)

  // Which nodes go int8, and why the others do not.
  const consumersOf = new Map<string, GraphNode[]>()
  for (const node of model.nodes) for (const input of node.inputs) consumersOf.set(input, [...(consumersOf.get(input) ?? []), node])
  const graphOutputs = new Set(model.outputs.map(valueInfoName))
  const chosen: GraphNode[] = []
  for (const node of model.nodes) {
    const inputs = activationInputs(node, model)
    if (inputs.length === 0) continue
    const missing = inputs.find((name) => !options.ranges.has(name) && !rangeSource(name, producerOf, options.ranges))
    if (missing) keptFp32.push({ node: label(node), reason: `no calibrated range for "${missing}"` })
    else chosen.push(node)
  }
  const paramsCache = new Map<string, ActivationParams>()
  const paramsOf = (name: string): ActivationParams => {
    let params = paramsCache.get(name)
    if (!params) {
      const source = rangeSource(name, producerOf, options.ranges)!
      params = activationParams(source.min, source.max)
      paramsCache.set(name, params)
    }
    return params
  }

  let worstWeightError = 0
  const quantizedTensors = new Set<string>()
  chosen.forEach((node, index) => {
    const inputs = activationInputs(node, model)
    if (COMPUTE.has(node.opType)) {
      const weights = quantizeNodeWeights(node, index, model, paramsOf(inputs[0]), bits, maxError, added)
      if (typeof weights === 'string') {
        keptFp32.push({ node: label(node), reason: weights })
        return
      }
      worstWeightError = Math.max(worstWeightError, weights)
      const output = node.outputs[0]
      if (options.ranges.has(output) && quantizesOutput(output, model, consumersOf, graphOutputs)) quantizedTensors.add(output)
    }
    for (const name of inputs) quantizedTensors.add(name)
    quantized.push(label(node))
  })

  // One Q → DQ pair per quantized tensor; every consumer reads the dequantized value.
  const renamed = new Map<string, string>()
  for (const name of quantizedTensors) {
    const { scale, zeroPoint } = paramsOf(name)
    const [s, zp, q, dq] = [`${name}/scale`, `${name}/zero_point`, `${name}/quantized`, `${name}/dequantized`]
    model.initializers.set(s, tensorPayload(s, DATA_TYPE.float, [], Float32Array.of(scale)))
    model.initializers.set(zp, tensorPayload(zp, DATA_TYPE.uint8, [], Uint8Array.of(zeroPoint)))
    added.push(qdqNode('QuantizeLinear', [name, s, zp], q), qdqNode('DequantizeLinear', [q, s, zp], dq))
    renamed.set(name, dq)
  }
  for (const node of model.nodes) node.inputs = node.inputs.map((name) => renamed.get(name) ?? name)
  model.nodes = sortNodes([...model.nodes, ...added], model)
  dropUnused(model)
  return { bytes: writeModel(model), quantized, keptFp32, worstWeightError }
}

/**
 * Replaces a Conv/Gemm/MatMul's weight (and bias) with int8 (int32) initializers behind
 * DequantizeLinear. Returns the weights' relative error, or why the node stays float.
 */
function quantizeNodeWeights(node: GraphNode, index: number, model: EditableModel, input: ActivationParams, bits: 7 | 8, maxError: number, added: GraphNode[]): number | string {
  const weightPayload = model.initializers.get(node.inputs[1])
  const weight = weightPayload ? readFloatTensor(weightPayload) : null
  if (!weight) return 'its weights are not a float32 initializer'
  let axis = 0
  if (node.opType === 'Gemm') {
    if (intAttributeOf(node, 'transA')) return 'Gemm with transA'
    if ((floatAttributeOf(node, 'alpha') ?? 1) !== 1 || (floatAttributeOf(node, 'beta') ?? 1) !== 1) return 'Gemm with alpha or beta other than 1'
    axis = intAttributeOf(node, 'transB') ? 0 : 1
  } else if (node.opType === 'MatMul') {
    if (weight.dims.length !== 2) return `MatMul weights of rank ${weight.dims.length}`
    axis = 1
  }
  const q = quantizeWeights(weight.data, weight.dims, axis, bits)
  if (q.relativeError > maxError) return `its weights lose ${(100 * q.relativeError).toFixed(1)} % in int8 (limit ${(100 * maxError).toFixed(1)} %)`
  const channels = weight.dims[axis]
  const prefix = `q${index}/${node.inputs[1]}`
  model.initializers.set(`${prefix}/int8`, tensorPayload(`${prefix}/int8`, DATA_TYPE.int8, weight.dims, q.values))
  model.initializers.set(`${prefix}/scale`, tensorPayload(`${prefix}/scale`, DATA_TYPE.float, [channels], q.scales))
  model.initializers.set(`${prefix}/zero_point`, tensorPayload(`${prefix}/zero_point`, DATA_TYPE.int8, [channels], new Int8Array(channels)))
  added.push(qdqNode('DequantizeLinear', [`${prefix}/int8`, `${prefix}/scale`, `${prefix}/zero_point`], `${prefix}/dequantized`, axis))
  node.inputs[1] = `${prefix}/dequantized`

  const biasPayload = node.inputs[2] ? model.initializers.get(node.inputs[2]) : undefined
  const bias = biasPayload ? readFloatTensor(biasPayload) : null
  if (bias && bias.data.length === channels && bias.dims.length === 1) {
    const b = quantizeBias(bias.data, input.scale, q.scales)
    const biasPrefix = `q${index}/${node.inputs[2]}`
    model.initializers.set(`${biasPrefix}/int32`, tensorPayload(`${biasPrefix}/int32`, DATA_TYPE.int32, [channels], b.values))
    model.initializers.set(`${biasPrefix}/scale`, tensorPayload(`${biasPrefix}/scale`, DATA_TYPE.float, [channels], b.scales))
    model.initializers.set(`${biasPrefix}/zero_point`, tensorPayload(`${biasPrefix}/zero_point`, DATA_TYPE.int32, [channels], new Int32Array(channels)))
    added.push(qdqNode('DequantizeLinear', [`${biasPrefix}/int32`, `${biasPrefix}/scale`, `${biasPrefix}/zero_point`], `${biasPrefix}/dequantized`, 0))
    node.inputs[2] = `${biasPrefix}/dequantized`
  }
  return q.relativeError
}

/** The float activations a node would read in int8 (none when it is not quantizable). */
function activationInputs(node: GraphNode, model: EditableModel): string[] {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return []
  const isActivation = (name: string) => name !== '' && !model.initializers.has(name)
  if (COMPUTE.has(node.opType)) return isActivation(node.inputs[0]) && node.inputs[1] && model.initializers.has(node.inputs[1]) ? [node.inputs[0]] : []
  if (SAME_RANGE.has(node.opType)) return isActivation(node.inputs[0]) && node.outputs.length === 1 ? [node.inputs[0]] : []
  if (node.opType === 'Concat') return node.inputs.every(isActivation) ? [...node.inputs] : []
  return []
}

/** Where a tensor's range comes from: its own, or (behind Resize/MaxPool) its source's. */
function rangeSource(name: string, producerOf: Map<string, GraphNode>, ranges: ReadonlyMap<string, TensorRange>): TensorRange | undefined {
  let current = name
  for (let hops = 0; hops < 64; hops++) {
    const producer = producerOf.get(current)
    if (producer && SAME_RANGE.has(producer.opType)) current = producer.inputs[0]
    else return ranges.get(current)
  }
  return undefined
}

function qdqNode(opType: string, inputs: string[], output: string, axis?: number): GraphNode {
  return { name: output, opType, domain: '', inputs, outputs: [output], attributes: axis === undefined ? [] : [intAttribute('axis', axis)] }
}

function label(node: GraphNode): string {
  return node.name || `${node.opType} → ${node.outputs[0]}`
}

/** Nodes in an order where every input is made before it is read (stable otherwise). */
function sortNodes(nodes: GraphNode[], model: EditableModel): GraphNode[] {
  const ready = new Set<string>(['', ...model.initializers.keys(), ...model.inputs.map(valueInfoName)])
  const sorted: GraphNode[] = []
  let pending = nodes
  while (pending.length > 0) {
    const next: GraphNode[] = []
    for (const node of pending) {
      if (node.inputs.every((name) => ready.has(name))) {
        sorted.push(node)
        for (const out of node.outputs) ready.add(out)
      } else next.push(node)
    }
    if (next.length === pending.length) throw new QuantizeError(`the graph reads tensors no node makes: ${next[0].inputs.filter((n) => !ready.has(n)).join(', ')}`)
    pending = next
  }
  return sorted
}

/** Removes the float weights the rewrite replaced (nothing reads them any more). */
function dropUnused(model: EditableModel): void {
  const read = new Set(model.nodes.flatMap((n) => n.inputs))
  for (const name of model.inputs.map(valueInfoName)) read.add(name)
  for (const name of [...model.initializers.keys()]) if (!read.has(name)) model.initializers.delete(name)
}
