// Builds small float ONNX models in closed form (nodes, weights, a typed input) for tests.
import { DATA_TYPE, tensorPayload, writeModel, type GraphNode } from '../../src-main/inference/onnxModel.ts'
import { MessageWriter, readFields } from '../../src-main/inference/protobuf.ts'

export interface ModelSpec {
  readonly input: { readonly name: string; readonly dims: readonly (number | string)[] }
  readonly outputs: readonly string[]
  readonly nodes: readonly Omit<GraphNode, 'domain' | 'attributes' | 'name'>[]
  readonly weights: Readonly<Record<string, { readonly dims: readonly number[]; readonly data: Float32Array }>>
  readonly opset?: number
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const header = new MessageWriter()
    .varint(1, 8)
    .string(2, 'coilscope-test')
    .message(8, new MessageWriter().string(1, '').varint(2, spec.opset ?? 17))
  return writeModel({
    header: readFields(header.toBytes()),
    graphName: 'test',
    nodes: spec.nodes.map((n, i) => ({ ...n, name: `n${i}`, domain: '', attributes: [] })),
    initializers: new Map(Object.entries(spec.weights).map(([name, w]) => [name, tensorPayload(name, DATA_TYPE.float, w.dims, w.data)])),
    inputs: [valueInfo(spec.input.name, spec.input.dims)],
    outputs: spec.outputs.map((name) => valueInfo(name, null)),
    valueInfo: [],
    otherGraphFields: [],
  })
}

function valueInfo(name: string, dims: readonly (number | string)[] | null): Uint8Array {
  const tensorType = new MessageWriter().varint(1, DATA_TYPE.float)
  if (dims) {
    const shape = new MessageWriter()
    for (const d of dims) shape.message(1, typeof d === 'number' ? new MessageWriter().varint(1, d) : new MessageWriter().string(2, d))
    tensorType.message(2, shape)
  }
  return new MessageWriter().string(1, name).message(2, new MessageWriter().message(1, tensorType)).toBytes()
}

/** A seeded uniform generator in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}
