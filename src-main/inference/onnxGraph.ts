// Reads what an .onnx file says about itself without running it: producer, operator sets, graph
// inputs and outputs, and the operator that makes each output (its final activation). The
// protobuf walk is the one merging uses; nothing here needs onnxruntime.
import { fieldString, readFields, WIRE_BYTES, WIRE_VARINT, type WireField } from './protobuf.ts'
import type { TensorSignature } from './session.ts'

// onnx.proto field numbers.
export const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, opsetImport: 8, graph: 7, trainingInfo: 20, functions: 25 } as const
export const OPSET = { domain: 1, version: 2 } as const
export const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12, valueInfo: 13, quantization: 14, sparseInitializer: 15 } as const
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const
export const ATTRIBUTE = { name: 1, i: 3, graph: 6, graphs: 11 } as const
export const TENSOR = { name: 8, dataLocation: 14 } as const
export const VALUE_INFO = { name: 1, type: 2 } as const
const TYPE = { tensor: 1 } as const
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const
const SHAPE = { dim: 1 } as const
const DIM = { value: 1, param: 2 } as const

/** onnx TensorProto.DataType → the names onnxruntime uses for tensor types. */
const ELEM_TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64' }

/** Operators that pass values through unchanged in kind: the activation is found behind them. */
const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'Resize', 'Upsample', 'Cast'])
/** Of those, the ones that keep every axis where it was. */
const AXES_KEPT = new Set(['Identity', 'Resize', 'Upsample', 'Cast'])

export interface FinalOperator {
  /** The operator behind the output, past reshapes and resizes (e.g. Sigmoid, Softmax, Conv). */
  readonly opType: string
  /** Softmax's axis attribute (default -1 from opset 13, 1 before). */
  readonly axis: number | null
  /** The default domain's operator set: a Softmax before 13 flattens from its axis on. */
  readonly opset: number
  /** False when a reshape or transpose lies between it and the output (its axis then means another axis there). */
  readonly axesKept: boolean
}

export interface ModelDescription {
  readonly irVersion: number
  readonly producer: string
  readonly opsets: string
  readonly inputs: TensorSignature[]
  readonly outputs: TensorSignature[]
  /** Per output name: what makes it (null when no node does). */
  readonly finalOperators: Record<string, FinalOperator | null>
}

export function describeModel(bytes: Uint8Array): ModelDescription {
  let irVersion = 0
  let producer = ''
  let producerVersion = ''
  const opsets: string[] = []
  let graph: WireField[] = []
  let defaultOpset = 0
  for (const field of readFields(bytes)) {
    if (field.number === MODEL.irVersion && field.wireType === WIRE_VARINT) irVersion = field.value
    else if (field.number === MODEL.producerName) producer = fieldString(field)
    else if (field.number === MODEL.producerVersion) producerVersion = fieldString(field)
    else if (field.number === MODEL.opsetImport) {
      const opset = describeOpset(field.payload)
      opsets.push(opset)
      if (opset.startsWith('ai.onnx:')) defaultOpset = Number(opset.slice(8))
    } else if (field.number === MODEL.graph && field.wireType === WIRE_BYTES) graph = readFields(field.payload)
  }
  const initializers = new Set<string>()
  const producers = new Map<string, { opType: string; inputs: string[]; axis: number | null }>()
  const inputs: TensorSignature[] = []
  const outputs: TensorSignature[] = []
  for (const field of graph) {
    if (field.number === GRAPH.initializer) initializers.add(tensorName(field.payload))
    else if (field.number === GRAPH.input) inputs.push(signatureOf(field.payload))
    else if (field.number === GRAPH.output) outputs.push(signatureOf(field.payload))
    else if (field.number === GRAPH.node) {
      const node = readNode(field.payload)
      for (const out of node.outputs) producers.set(out, node)
    }
  }
  const finalOperators: Record<string, FinalOperator | null> = {}
  for (const output of outputs) {
    let node = producers.get(output.name)
    let axesKept = true
    for (let hops = 0; node && PASS_THROUGH.has(node.opType) && hops < 16; hops++) {
      if (!AXES_KEPT.has(node.opType)) axesKept = false
      const next = node.inputs.find((name) => producers.has(name))
      if (!next) break
      node = producers.get(next)
    }
    finalOperators[output.name] = node
      ? { opType: node.opType, axis: node.opType === 'Softmax' ? (node.axis ?? (defaultOpset >= 13 ? -1 : 1)) : null, opset: defaultOpset, axesKept }
      : null
  }
  return {
    irVersion,
    producer: [producer, producerVersion].filter(Boolean).join(' ') || 'unknown',
    opsets: opsets.sort().join(', '),
    inputs: inputs.filter((input) => !initializers.has(input.name)),
    outputs,
    finalOperators,
  }
}

function readNode(payload: Uint8Array): { opType: string; inputs: string[]; outputs: string[]; axis: number | null } {
  let opType = ''
  let axis: number | null = null
  const inputs: string[] = []
  const outputs: string[] = []
  for (const field of readFields(payload)) {
    if (field.number === NODE.opType) opType = fieldString(field)
    else if (field.number === NODE.input) inputs.push(fieldString(field))
    else if (field.number === NODE.output) outputs.push(fieldString(field))
    else if (field.number === NODE.attribute) {
      const parts = readFields(field.payload)
      const name = parts.find((p) => p.number === ATTRIBUTE.name)
      const value = parts.find((p) => p.number === ATTRIBUTE.i)
      // int64 attributes are two's complement varints; readFields gives negatives as negative numbers.
      if (name && fieldString(name) === 'axis' && value) axis = value.value
    }
  }
  return { opType, inputs, outputs, axis }
}

export function describeOpset(payload: Uint8Array): string {
  let domain = ''
  let version = 0
  for (const field of readFields(payload)) {
    if (field.number === OPSET.domain) domain = fieldString(field)
    else if (field.number === OPSET.version) version = field.value
  }
  return `${domain || 'ai.onnx'}:${version}`
}

export function tensorName(payload: Uint8Array): string {
  const field = readFields(payload).find((f) => f.number === TENSOR.name)
  return field ? fieldString(field) : ''
}

/** The declared type and shape of a graph input or output, in onnxruntime's terms. */
export function signatureOf(payload: Uint8Array): TensorSignature {
  let name = ''
  let type = 'non-tensor'
  const shape: (number | string)[] = []
  for (const field of readFields(payload)) {
    if (field.number === VALUE_INFO.name) name = fieldString(field)
    if (field.number !== VALUE_INFO.type) continue
    const tensor = readFields(field.payload).find((f) => f.number === TYPE.tensor)
    if (!tensor) continue
    for (const part of readFields(tensor.payload)) {
      if (part.number === TENSOR_TYPE.elemType) type = ELEM_TYPES[part.value] ?? `onnx type ${part.value}`
      if (part.number !== TENSOR_TYPE.shape) continue
      for (const dim of readFields(part.payload)) {
        if (dim.number !== SHAPE.dim) continue
        let size: number | string = -1
        for (const d of readFields(dim.payload)) {
          if (d.number === DIM.value) size = d.value <= Number.MAX_SAFE_INTEGER ? d.value : -1
          else if (d.number === DIM.param) size = fieldString(d)
        }
        shape.push(size)
      }
    }
  }
  return { name, type, shape }
}
