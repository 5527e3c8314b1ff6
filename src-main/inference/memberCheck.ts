// Checks a member's real ONNX signature against what the manifest promises, before any image runs.
// Pure: signatures in, a readable problem (or null) out.
import type { ModelManifest } from '../../src-shared/manifest.ts'
import type { TensorSignature } from './session.ts'

export type StageName = 'classifier' | 'segmenter'

type Dim = number | string

/** Expected [input, output] shapes for a stage; the batch axis is 'batch' (any value). */
export function expectedShapes(manifest: ModelManifest, stage: StageName): { input: Dim[]; output: Dim[] } {
  const { height, width, channels, layout } = manifest.input
  const input = layout === 'NHWC' ? ['batch', height, width, channels] : ['batch', channels, height, width]
  if (stage === 'classifier') return { input, output: ['batch', 1] }
  const k = manifest.classes.length
  return { input, output: layout === 'NHWC' ? ['batch', height, width, k] : ['batch', k, height, width] }
}

/** Returns null when the member fits, else a message naming the file, expected and actual shape. */
export function checkMemberSignature(
  file: string,
  stage: StageName,
  inputs: readonly TensorSignature[],
  outputs: readonly TensorSignature[],
  manifest: ModelManifest,
): string | null {
  const expected = expectedShapes(manifest, stage)
  if (inputs.length !== 1) return `${file}: ${stage} members take exactly one input, this one has ${names(inputs)}`
  if (outputs.length !== 1) return `${file}: ${stage} members have exactly one output, this one has ${names(outputs)}`
  const [input] = inputs
  const [output] = outputs
  if (input.type !== 'float32') return `${file}: input "${input.name}" is ${input.type}, expected float32`
  if (output.type !== 'float32') return `${file}: output "${output.name}" is ${output.type}, expected float32`
  if (!fits(input.shape, expected.input)) {
    return `${file}: input "${input.name}" has shape ${show(input.shape)}, the manifest expects ${show(expected.input)} (${manifest.input.layout})`
  }
  // A classifier may also return [batch] instead of [batch, 1].
  const outputFits = fits(output.shape, expected.output) || (stage === 'classifier' && fits(output.shape, ['batch']))
  if (!outputFits) return `${file}: output "${output.name}" has shape ${show(output.shape)}, the manifest expects ${show(expected.output)}`
  return null
}

function fits(actual: readonly Dim[], expected: readonly Dim[]): boolean {
  if (actual.length !== expected.length) return false
  // Symbolic or -1 dimensions are dynamic and accept any size.
  return expected.every((want, i) => {
    const have = actual[i]
    return typeof want === 'string' || typeof have === 'string' || have < 0 || have === want
  })
}

function show(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`
}

function names(signatures: readonly TensorSignature[]): string {
  return signatures.length === 0 ? 'none' : `${signatures.length} (${signatures.map((s) => s.name).join(', ')})`
}
