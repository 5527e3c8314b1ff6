// Runs a session on a batch of any size, honouring a batch axis fixed in the model (a Keras export
// often says [1, H, W, 3]): such a model runs its own batch size at a time, the last run padded.
import type { ModelSession } from '../inference/index.ts'

/** The model's fixed batch size, or null when its batch axis is dynamic. */
export function staticBatchSize(session: ModelSession): number | null {
  const dim = session.inputs[0]?.shape[0]
  return typeof dim === 'number' && dim > 0 ? dim : null
}

/**
 * Throws, naming the file, when output `k` did not give `expected` values per item: a dynamic
 * output's size shows only when it runs, and a wrong one would be read as the wrong pixels.
 */
export function checkOutputSize(session: ModelSession, k: number, output: Float32Array, items: number, expected: number, shape: string): void {
  if (output.length === items * expected) return
  throw new Error(
    `${session.file}: output "${session.outputs[k]?.name ?? k}" gave ${output.length / items} values per image, the manifest expects ${expected} (${shape}); ` +
      'its size shows only when it runs: declare the size it gives with "outputSize", or give the input the size the model was made for',
  )
}

/** session.runAll for `dims[0]` items; with `into`, the outputs are written there. */
export async function runBatch(session: ModelSession, input: Float32Array, dims: readonly number[], into?: readonly Float32Array[]): Promise<Float32Array[]> {
  const fixed = staticBatchSize(session)
  const n = dims[0]
  if (fixed === null || fixed === n) return session.runAll(input, dims, into)
  const itemSize = input.length / n
  const parts: Float32Array[][] = []
  for (let start = 0; start < n; start += fixed) {
    const count = Math.min(fixed, n - start)
    let chunk = input.subarray(start * itemSize, (start + count) * itemSize)
    if (count < fixed) {
      const padded = new Float32Array(fixed * itemSize)
      padded.set(chunk)
      chunk = padded
    }
    const outputs = await session.runAll(chunk, [fixed, ...dims.slice(1)])
    // Keep only the real items of a padded run.
    parts.push(outputs.map((o) => o.subarray(0, (o.length / fixed) * count)))
  }
  return parts[0].map((first, k) => {
    const total = parts.reduce((sum, p) => sum + p[k].length, 0)
    const out = into?.[k] && into[k].length === total ? into[k] : new Float32Array(total)
    let at = 0
    for (const p of parts) {
      out.set(p[k], at)
      at += p[k].length
    }
    return out
  })
}
