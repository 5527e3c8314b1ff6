// Merges the members of an ensemble stage into one ONNX model: every member's graph, side by side,
// reading one shared input and keeping each member's own output. One session then runs the whole
// stage on one thread pool, instead of one session (and one pool, one arena) per member.
//
// The members' outputs stay separate on purpose: the weighted mean (and the sigmoid of logit
// members) is still computed by the pipeline, in the same arithmetic as for separate sessions, so
// a merged stage gives bit-for-bit the probabilities — and therefore the masks — of the unmerged one.
//
// Only what can be merged safely is merged: one graph input per member, the same operator sets,
// no subgraphs (If/Loop), no model-local functions, no external or sparse weights. Anything else
// returns a reason, and the caller opens the members one by one as before.
import { ATTRIBUTE, describeOpset, GRAPH, MODEL, NODE, signatureOf, TENSOR, VALUE_INFO } from './onnxGraph.ts'
import { fieldString, MessageWriter, ProtobufError, readFields, WIRE_BYTES, WIRE_VARINT, type WireField } from './protobuf.ts'
import type { TensorSignature } from './session.ts'

export interface MemberSignature {
  readonly inputs: TensorSignature[]
  readonly outputs: TensorSignature[]
}

export type MergeResult =
  | {
      readonly ok: true
      /** The merged model. */
      readonly bytes: Uint8Array
      /** Each member's own declared input and output, as read from its file. */
      readonly members: MemberSignature[]
      /** The merged model's output names, one per member, in member order. */
      readonly outputNames: string[]
    }
  | { readonly ok: false; readonly reason: string }

/** `models` are whole .onnx files, in member order. */
export function mergeModels(models: readonly Uint8Array[]): MergeResult {
  try {
    return merge(models)
  } catch (error) {
    if (error instanceof ProtobufError || error instanceof CannotMerge) return { ok: false, reason: error.message }
    throw error
  }
}

class CannotMerge extends Error {}

interface ParsedMember {
  readonly modelFields: WireField[]
  readonly irVersion: number
  readonly opsets: string
  readonly graph: WireField[]
  readonly input: WireField
  readonly inputName: string
  readonly output: WireField
  readonly outputName: string
  readonly signature: MemberSignature
}

function merge(models: readonly Uint8Array[]): MergeResult {
  if (models.length < 2) throw new CannotMerge('fewer than two members')
  const members = models.map((bytes, i) => parseMember(bytes, i))
  const opsets = members[0].opsets
  members.forEach((m, i) => {
    if (m.opsets !== opsets) throw new CannotMerge(`member ${i + 1} imports other operator sets (${m.opsets}) than member 1 (${opsets})`)
  })
  const sharedInput = members[0].inputName
  const prefix = (i: number) => `m${i}/`
  const outputNames: string[] = []

  const graph = new MessageWriter()
  graph.string(GRAPH.name, 'coilscope-merged-stage')
  const renamedNames = new Set<string>()
  members.forEach((member, i) => {
    const rename = (name: string): string => {
      if (name === '') return name // an omitted optional input stays omitted
      if (name === member.inputName) return sharedInput
      const renamed = prefix(i) + name
      renamedNames.add(renamed)
      return renamed
    }
    for (const field of member.graph) {
      if (field.number === GRAPH.node) graph.message(GRAPH.node, renameNode(field.payload, rename))
      else if (field.number === GRAPH.initializer) graph.message(GRAPH.initializer, renameMessage(field.payload, TENSOR.name, rename))
      // The shared input is declared once, as the merged graph's input.
      else if (field.number === GRAPH.valueInfo && valueInfoName(field.payload) !== member.inputName) graph.message(GRAPH.valueInfo, renameMessage(field.payload, VALUE_INFO.name, rename))
    }
    outputNames.push(rename(member.outputName))
  })
  if (renamedNames.has(sharedInput)) throw new CannotMerge(`the input name "${sharedInput}" collides with a renamed tensor`)
  graph.raw(members[0].input.raw)
  members.forEach((member, i) => graph.message(GRAPH.output, renameMessage(member.output.payload, VALUE_INFO.name, () => outputNames[i])))

  const model = new MessageWriter()
  model.varint(MODEL.irVersion, Math.max(...members.map((m) => m.irVersion)))
  for (const field of members[0].modelFields) {
    // Producer, opset imports and the rest of member 1's header stay as they were; its training
    // info names tensors of its own graph only, and inference never reads it.
    if (field.number !== MODEL.irVersion && field.number !== MODEL.graph && field.number !== MODEL.trainingInfo) model.raw(field.raw)
  }
  model.message(MODEL.graph, graph)
  return { ok: true, bytes: model.toBytes(), members: members.map((m) => m.signature), outputNames }
}

function parseMember(bytes: Uint8Array, index: number): ParsedMember {
  const where = `member ${index + 1}`
  const modelFields = readFields(bytes)
  let irVersion = 0
  const opsets: string[] = []
  let graphField: WireField | null = null
  for (const field of modelFields) {
    if (field.number === MODEL.irVersion && field.wireType === WIRE_VARINT) irVersion = field.value
    else if (field.number === MODEL.opsetImport) opsets.push(describeOpset(field.payload))
    else if (field.number === MODEL.graph && field.wireType === WIRE_BYTES) graphField = field
    else if (field.number === MODEL.functions) throw new CannotMerge(`${where} defines model-local functions`)
  }
  if (!graphField) throw new CannotMerge(`${where} has no graph`)
  const graph = readFields(graphField.payload)
  const initializers = new Set<string>()
  const inputs: WireField[] = []
  const outputs: WireField[] = []
  for (const field of graph) {
    if (field.number === GRAPH.sparseInitializer) throw new CannotMerge(`${where} has sparse initializers`)
    if (field.number === GRAPH.quantization) throw new CannotMerge(`${where} has quantization annotations`)
    if (field.number === GRAPH.initializer) initializers.add(tensorName(field.payload, where))
    else if (field.number === GRAPH.input) inputs.push(field)
    else if (field.number === GRAPH.output) outputs.push(field)
    else if (field.number === GRAPH.node) checkNode(field.payload, where)
  }
  // Older IR versions list initializers among the inputs as well; those are weights, not inputs.
  const realInputs = inputs.filter((f) => !initializers.has(valueInfoName(f.payload)))
  if (realInputs.length !== 1 || inputs.length !== 1) throw new CannotMerge(`${where} has ${inputs.length} graph inputs, not one`)
  if (outputs.length !== 1) throw new CannotMerge(`${where} has ${outputs.length} graph outputs, not one`)
  const [input] = realInputs
  const [output] = outputs
  return {
    modelFields,
    irVersion,
    opsets: opsets.sort().join(', '),
    graph,
    input,
    inputName: valueInfoName(input.payload),
    output,
    outputName: valueInfoName(output.payload),
    signature: { inputs: [signatureOf(input.payload)], outputs: [signatureOf(output.payload)] },
  }
}

function checkNode(payload: Uint8Array, where: string): void {
  for (const field of readFields(payload)) {
    if (field.number !== NODE.attribute) continue
    for (const attribute of readFields(field.payload)) {
      if (attribute.number === ATTRIBUTE.graph || attribute.number === ATTRIBUTE.graphs) throw new CannotMerge(`${where} has a node with a subgraph`)
    }
  }
}

function renameNode(payload: Uint8Array, rename: (name: string) => string): MessageWriter {
  const out = new MessageWriter()
  for (const field of readFields(payload)) {
    if (field.number === NODE.input || field.number === NODE.output) out.string(field.number, rename(fieldString(field)))
    else if (field.number === NODE.name) out.string(field.number, fieldString(field) === '' ? '' : rename(fieldString(field)))
    else out.raw(field.raw)
  }
  return out
}

/** A message (TensorProto, ValueInfoProto) with its name field `nameField` renamed. */
function renameMessage(payload: Uint8Array, nameField: number, rename: (name: string) => string): MessageWriter {
  const out = new MessageWriter()
  for (const field of readFields(payload)) {
    if (field.number === nameField) out.string(field.number, rename(fieldString(field)))
    else out.raw(field.raw)
  }
  return out
}

function tensorName(payload: Uint8Array, where: string): string {
  let name = ''
  for (const field of readFields(payload)) {
    if (field.number === TENSOR.name) name = fieldString(field)
    else if (field.number === TENSOR.dataLocation && field.value === 1) throw new CannotMerge(`${where} keeps weights in external files`)
  }
  return name
}

function valueInfoName(payload: Uint8Array): string {
  const field = readFields(payload).find((f) => f.number === VALUE_INFO.name)
  return field ? fieldString(field) : ''
}
