// An editable view of an .onnx file for graph rewrites (quantization): its nodes as plain objects,
// its initializers by name, and everything else kept as raw protobuf fields, so a rewrite touches
// only what it means to. Uses the same wire-format walk as merging (protobuf.ts).
import { ATTRIBUTE, GRAPH, MODEL, NODE, OPSET, TENSOR, VALUE_INFO } from './onnxGraph.ts'
import { fieldString, MessageWriter, readFields, WIRE_BYTES, type WireField } from './protobuf.ts'

/** onnx TensorProto.DataType values this module writes. */
export const DATA_TYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const
const TENSOR_FIELD = { dims: 1, dataType: 2, floatData: 4, rawData: 9 } as const
const NODE_DOMAIN = 7
const ATTRIBUTE_TYPE_FIELD = 20
const ATTRIBUTE_INT = 2
const ATTRIBUTE_FLOAT_FIELD = 2

export interface GraphNode {
  name: string
  opType: string
  domain: string
  inputs: string[]
  outputs: string[]
  /** Attribute messages as they were (payloads), plus any added by a rewrite. */
  attributes: Uint8Array[]
}

export interface EditableModel {
  /** The model's own fields except its graph, as they were. */
  readonly header: WireField[]
  readonly graphName: string
  nodes: GraphNode[]
  /** Initializer payloads (TensorProto) by name. */
  readonly initializers: Map<string, Uint8Array>
  /** Graph inputs, outputs and value infos (ValueInfoProto payloads). */
  readonly inputs: Uint8Array[]
  readonly outputs: Uint8Array[]
  readonly valueInfo: Uint8Array[]
  /** Other graph fields (doc string, sparse initializers, annotations), kept raw. */
  readonly otherGraphFields: WireField[]
}

export interface FloatTensor {
  readonly name: string
  readonly dims: number[]
  readonly data: Float32Array
}

export function readModel(bytes: Uint8Array): EditableModel {
  const header: WireField[] = []
  let graph: WireField[] = []
  for (const field of readFields(bytes)) {
    if (field.number === MODEL.graph && field.wireType === WIRE_BYTES) graph = readFields(field.payload)
    else header.push(field)
  }
  const model: EditableModel = { header, graphName: '', nodes: [], initializers: new Map(), inputs: [], outputs: [], valueInfo: [], otherGraphFields: [] }
  let graphName = ''
  for (const field of graph) {
    if (field.number === GRAPH.node) model.nodes.push(readNode(field.payload))
    else if (field.number === GRAPH.initializer) model.initializers.set(nameOf(field.payload, TENSOR.name), field.payload)
    else if (field.number === GRAPH.input) model.inputs.push(field.payload)
    else if (field.number === GRAPH.output) model.outputs.push(field.payload)
    else if (field.number === GRAPH.valueInfo) model.valueInfo.push(field.payload)
    else if (field.number === GRAPH.name) graphName = fieldString(field)
    else model.otherGraphFields.push(field)
  }
  return { ...model, graphName }
}

export function writeModel(model: EditableModel): Uint8Array {
  const graph = new MessageWriter().string(GRAPH.name, model.graphName)
  for (const node of model.nodes) graph.message(GRAPH.node, nodeMessage(node))
  for (const payload of model.initializers.values()) graph.bytes(GRAPH.initializer, payload)
  for (const payload of model.inputs) graph.bytes(GRAPH.input, payload)
  for (const payload of model.outputs) graph.bytes(GRAPH.output, payload)
  for (const payload of model.valueInfo) graph.bytes(GRAPH.valueInfo, payload)
  for (const field of model.otherGraphFields) graph.raw(field.raw)
  const out = new MessageWriter()
  for (const field of model.header) out.raw(field.raw)
  return out.message(MODEL.graph, graph).toBytes()
}

/** The version of the default operator set (ai.onnx) the model imports; 0 when none. */
export function defaultOpset(model: EditableModel): number {
  for (const field of model.header) {
    if (field.number !== MODEL.opsetImport) continue
    const parts = readFields(field.payload)
    const domain = parts.find((p) => p.number === OPSET.domain)
    if (!domain || fieldString(domain) === '' || fieldString(domain) === 'ai.onnx') return parts.find((p) => p.number === OPSET.version)?.value ?? 0
  }
  return 0
}

export function valueInfoName(payload: Uint8Array): string {
  return nameOf(payload, VALUE_INFO.name)
}

/** A float32 graph output (or value info) without a declared shape. */
export function floatValueInfo(name: string): Uint8Array {
  const tensorType = new MessageWriter().varint(1, DATA_TYPE.float)
  const type = new MessageWriter().message(1, tensorType)
  return new MessageWriter().string(VALUE_INFO.name, name).message(VALUE_INFO.type, type).toBytes()
}

/** An initializer as float32 values, or null when it holds another type or keeps its data elsewhere. */
export function readFloatTensor(payload: Uint8Array): FloatTensor | null {
  let name = ''
  let dataType = 0
  const dims: number[] = []
  let raw: Uint8Array | null = null
  const floats: number[] = []
  for (const field of readFields(payload)) {
    if (field.number === TENSOR.name) name = fieldString(field)
    else if (field.number === TENSOR_FIELD.dataType) dataType = field.value
    else if (field.number === TENSOR_FIELD.dims) {
      if (field.wireType === WIRE_BYTES) for (const d of readPackedVarints(field.payload)) dims.push(d)
      else dims.push(field.value)
    } else if (field.number === TENSOR_FIELD.rawData) raw = field.payload
    else if (field.number === TENSOR_FIELD.floatData) {
      const view = new DataView(field.payload.buffer, field.payload.byteOffset, field.payload.byteLength)
      for (let at = 0; at + 4 <= field.payload.byteLength; at += 4) floats.push(view.getFloat32(at, true))
    } else if (field.number === TENSOR.dataLocation && field.value === 1) return null
  }
  if (dataType !== DATA_TYPE.float) return null
  const count = dims.reduce((a, b) => a * b, 1)
  const data = raw ? new Float32Array(new Uint8Array(raw).buffer) : Float32Array.from(floats)
  return data.length === count ? { name, dims, data } : null
}

/** A TensorProto with its values in raw_data (little-endian, as ONNX stores them). */
export function tensorPayload(name: string, dataType: number, dims: readonly number[], values: Float32Array | Int8Array | Uint8Array | Int32Array): Uint8Array {
  const tensor = new MessageWriter()
  for (const d of dims) tensor.varint(TENSOR_FIELD.dims, d)
  tensor.varint(TENSOR_FIELD.dataType, dataType)
  tensor.string(TENSOR.name, name)
  tensor.bytes(TENSOR_FIELD.rawData, new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
  return tensor.toBytes()
}

/** An INT attribute message (e.g. `axis`). */
export function intAttribute(name: string, value: number): Uint8Array {
  return new MessageWriter().string(ATTRIBUTE.name, name).varint(ATTRIBUTE_TYPE_FIELD, ATTRIBUTE_INT).varint(ATTRIBUTE.i, value).toBytes()
}

/** An INT attribute's value, or undefined when the node does not set it. */
export function intAttributeOf(node: GraphNode, name: string): number | undefined {
  for (const payload of node.attributes) {
    const parts = readFields(payload)
    const n = parts.find((p) => p.number === ATTRIBUTE.name)
    const i = parts.find((p) => p.number === ATTRIBUTE.i)
    if (n && fieldString(n) === name && i) return i.value > 2 ** 62 ? i.value - 2 ** 64 : i.value
  }
  return undefined
}

/** A FLOAT attribute's value, or undefined when the node does not set it. */
export function floatAttributeOf(node: GraphNode, name: string): number | undefined {
  for (const payload of node.attributes) {
    const parts = readFields(payload)
    const n = parts.find((p) => p.number === ATTRIBUTE.name)
    const f = parts.find((p) => p.number === ATTRIBUTE_FLOAT_FIELD)
    // A fixed32 field: its value is the last four bytes of the field.
    if (n && fieldString(n) === name && f) return new DataView(f.raw.buffer, f.raw.byteOffset + f.raw.byteLength - 4, 4).getFloat32(0, true)
  }
  return undefined
}

function readNode(payload: Uint8Array): GraphNode {
  const node: GraphNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] }
  for (const field of readFields(payload)) {
    if (field.number === NODE.input) node.inputs.push(fieldString(field))
    else if (field.number === NODE.output) node.outputs.push(fieldString(field))
    else if (field.number === NODE.name) node.name = fieldString(field)
    else if (field.number === NODE.opType) node.opType = fieldString(field)
    else if (field.number === NODE_DOMAIN) node.domain = fieldString(field)
    else if (field.number === NODE.attribute) node.attributes.push(field.payload)
  }
  return node
}

function nodeMessage(node: GraphNode): MessageWriter {
  const out = new MessageWriter()
  for (const input of node.inputs) out.string(NODE.input, input)
  for (const output of node.outputs) out.string(NODE.output, output)
  if (node.name) out.string(NODE.name, node.name)
  out.string(NODE.opType, node.opType)
  if (node.domain) out.string(NODE_DOMAIN, node.domain)
  for (const attribute of node.attributes) out.bytes(NODE.attribute, attribute)
  return out
}

function nameOf(payload: Uint8Array, nameField: number): string {
  const field = readFields(payload).find((f) => f.number === nameField)
  return field ? fieldString(field) : ''
}

function readPackedVarints(payload: Uint8Array): number[] {
  const values: number[] = []
  let value = 0
  let scale = 1
  for (const byte of payload) {
    value += (byte & 0x7f) * scale
    if (byte < 0x80) {
      values.push(value)
      value = 0
      scale = 1
    } else scale *= 128
  }
  return values
}
