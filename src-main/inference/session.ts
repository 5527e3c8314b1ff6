// The only module that imports onnxruntime-node. Opens one session per member with explicit thread
// counts and the chosen execution provider, and describes its real inputs and outputs.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'

export type ExecutionProvider = 'cuda' | 'cpu'

export interface TensorSignature {
  readonly name: string
  readonly type: string
  /** Dimensions as the model declares them: numbers, or names/-1 for dynamic axes. */
  readonly shape: readonly (number | string)[]
}

export interface ModelSession {
  readonly file: string
  readonly inputs: readonly TensorSignature[]
  readonly outputs: readonly TensorSignature[]
  /** Runs the model's single input → single output; the input is not copied. */
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>
  release(): Promise<void>
}

export interface SessionOptions {
  readonly provider: ExecutionProvider
  /** intra-op threads of this session (every session has its own pool). */
  readonly threads: number
}

export const ORT_VERSION: string = ort.env.versions.node ?? 'unknown'

export async function openSession(file: string, options: SessionOptions): Promise<ModelSession> {
  const session = await ort.InferenceSession.create(file, {
    executionProviders: [options.provider],
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Spinning threads steal the cores other sessions of the ensemble need.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  })
  const describe = (meta: readonly ort.InferenceSession.ValueMetadata[]): TensorSignature[] =>
    meta.map((m) => ({ name: m.name, type: m.isTensor ? m.type : 'non-tensor', shape: m.isTensor ? m.shape : [] }))
  const inputs = describe(session.inputMetadata)
  const outputs = describe(session.outputMetadata)
  return {
    file,
    inputs,
    outputs,
    async run(input, dims) {
      const feeds = { [inputs[0].name]: new ort.Tensor('float32', input, dims) }
      const result = await session.run(feeds)
      const tensor = result[outputs[0].name]
      const data = tensor.data as Float32Array
      tensor.dispose?.()
      return data
    },
    release: () => session.release(),
  }
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
