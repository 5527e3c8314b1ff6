// The only module that imports onnxruntime-node. Opens a session (a member, or a merged stage) with
// explicit thread counts and the chosen execution provider, and describes its real inputs and outputs.
import './telemetry.ts' // before onnxruntime-node: see there
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'

import { EXECUTION_PROVIDERS, type ExecutionProvider } from '../../src-shared/providers.ts'

export type { ExecutionProvider }

export interface TensorSignature {
  readonly name: string
  readonly type: string
  /** Dimensions as the model declares them: numbers, or names/-1 for dynamic axes. */
  readonly shape: readonly (number | string)[]
}

export interface ModelSession {
  /** The model file, or for a merged stage its members' files joined by ' + '. */
  readonly file: string
  readonly inputs: readonly TensorSignature[]
  readonly outputs: readonly TensorSignature[]
  /** Runs the model's single input → first output; the input is not copied. */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>
  /**
   * Runs the model's single input → every output, in the model's output order. With `into`
   * (one array per output, each the output's exact size) onnxruntime writes the outputs into
   * those arrays, which are returned; otherwise it allocates them.
   */
  runAll(input: Float32Array, dims: readonly number[], into?: readonly Float32Array[]): Promise<Float32Array[]>
  release(): Promise<void>
}

export interface SessionOptions {
  readonly provider: ExecutionProvider
  /** intra-op threads of this session (every session has its own pool). */
  readonly threads: number
  /** Let idle pool threads spin instead of sleeping (default false). */
  readonly spinning?: boolean
  /**
   * onnxruntime's memory pattern: one planned block per input shape, built on the second run.
   * Off by default on the CPU: steady runs are as fast without it (the arena reuses its chunks), and
   * the block is a second ~250 MB of fresh memory a new process must fault in (0.3–0.5 s here).
   */
  readonly memoryPattern?: boolean
  /**
   * Read only these outputs (a model with auxiliary heads). A name the model lacks leaves every
   * output in place, so that the member check can say which names there are.
   */
  readonly outputNames?: readonly string[]
  /** Where onnxruntime writes the graph as optimized (its fused kernels), to check what it runs. */
  readonly optimizedModelFilePath?: string
}

export const ORT_VERSION: string = ort.env.versions.node ?? 'unknown'

/**
 * Opens a model from its file, or from its bytes (a merged stage) with `file` naming it for
 * messages.
 */
export async function openSession(source: string | { readonly bytes: Uint8Array; readonly file: string }, options: SessionOptions): Promise<ModelSession> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [options.provider],
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableMemPattern: options.memoryPattern ?? EXECUTION_PROVIDERS[options.provider].memoryPattern,
    ...(options.optimizedModelFilePath ? { optimizedModelFilePath: options.optimizedModelFilePath } : {}),
    // Spinning threads steal the cores other sessions of the ensemble (and sharp) need.
    extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } },
  }
  const session = typeof source === 'string' ? await ort.InferenceSession.create(source, sessionOptions) : await ort.InferenceSession.create(source.bytes, sessionOptions)
  const file = typeof source === 'string' ? source : source.file
  const describe = (meta: readonly ort.InferenceSession.ValueMetadata[]): TensorSignature[] =>
    meta.map((m) => ({ name: m.name, type: m.isTensor ? m.type : 'non-tensor', shape: m.isTensor ? m.shape : [] }))
  const inputs = describe(session.inputMetadata)
  const allOutputs = describe(session.outputMetadata)
  const named = allOutputs.filter((o) => options.outputNames?.includes(o.name))
  const outputs = named.length > 0 && named.length === options.outputNames?.length ? named : allOutputs
  return {
    file,
    inputs,
    outputs,
    async run(input, dims) {
      const feeds = { [inputs[0].name]: new ort.Tensor('float32', input, dims) }
      const result = await session.run(feeds, [outputs[0].name])
      return takeData(result[outputs[0].name])
    },
    async runAll(input, dims, into) {
      const feeds = { [inputs[0].name]: new ort.Tensor('float32', input, dims) }
      if (!into) {
        const result = await session.run(feeds, outputs.map((o) => o.name))
        return outputs.map((o) => takeData(result[o.name]))
      }
      if (into.length !== outputs.length) throw new Error(`${file}: ${into.length} output arrays for ${outputs.length} outputs`)
      // Pre-allocated outputs: onnxruntime writes into these arrays (a GPU copies its results
      // straight into them). Their dims follow the batch of this run.
      const fetches: Record<string, ort.Tensor> = {}
      outputs.forEach((o, i) => (fetches[o.name] = new ort.Tensor('float32', into[i], outputDims(o, dims[0], into[i].length))))
      const result = await session.run(feeds, fetches)
      for (const o of outputs) result[o.name]?.dispose?.()
      return [...into]
    },
    release: () => session.release(),
  }
}

function takeData(tensor: ort.OnnxValue): Float32Array {
  const data = tensor.data as Float32Array
  tensor.dispose?.()
  return data
}

/** An output's dims for a run of `batch` items, its dynamic axes sized from `length`. */
function outputDims(output: TensorSignature, batch: number, length: number): number[] {
  const dims = output.shape.map((d, i) => (i === 0 ? batch : typeof d === 'number' && d > 0 ? d : -1))
  const known = dims.reduce((product, d) => (d > 0 ? product * d : product), 1)
  const unknown = dims.filter((d) => d <= 0).length
  if (unknown > 1 || (unknown === 0 && known !== length) || length % known !== 0) {
    throw new Error(`output "${output.name}" [${output.shape.join(', ')}] cannot take ${length} values for a batch of ${batch}`)
  }
  return dims.map((d) => (d > 0 ? d : length / known))
}

/**
 * Where onnxruntime-node keeps the CUDA provider library, or null when it is not installed
 * (the default npm install skips its download).
 */
export function cudaProviderLibrary(): string | null {
  const names: Partial<Record<NodeJS.Platform, string>> = {
    linux: 'libonnxruntime_providers_cuda.so',
    win32: 'onnxruntime_providers_cuda.dll',
  }
  const name = names[process.platform]
  if (!name) return null
  const packageDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'))
  const path = join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, name)
  return existsSync(path) ? path : null
}
