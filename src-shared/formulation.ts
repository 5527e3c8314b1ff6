// Resolves a manifest into one formulation per member: the input it takes and how its output reads.
// A member's keys override its stage's, which override the set's `input`. Every reader of a
// formulation goes through here, so a key means the same thing at every level.
import { memberWeights, type ManifestInput, type ModelManifest, type OutputKind, type TensorLayout } from './manifest.ts'

export type StageName = 'classifier' | 'segmenter'

export interface InputFormulation {
  readonly height: number
  readonly width: number
  readonly layout: TensorLayout
  readonly channels: 1 | 3
  readonly scale: number
  readonly mean: readonly number[]
  readonly std: readonly number[]
  readonly channelOrder: 'RGB' | 'BGR'
  readonly dtype: 'float32' | 'float16' | 'uint8'
}

export interface OutputFormulation {
  readonly activation: OutputKind
  /** Index of the background channel, or null when there is none. */
  readonly background: number | null
  /** True when the manifest says "background": "none" (every channel is a class, on purpose). */
  readonly noBackground: boolean
  /**
   * The target each non-background channel feeds, in channel order: a class id for a segmenter or
   * a per-class gate, 0 for the any-defect gate.
   */
  readonly targets: readonly number[]
  /** Spatial size of the output (a segmenter's; 1×1 for a classifier). */
  readonly height: number
  readonly width: number
}

export interface MemberFormulation {
  readonly file: string
  readonly sha256?: string
  /** Normalised weight within its stage (the members' weights sum to 1). */
  readonly weight: number
  readonly input: InputFormulation
  readonly output: OutputFormulation
  /** The output read, by name, of a model with several; null when it has one. */
  readonly outputName: string | null
}

/** The number of channels the output holds: the mapped ones plus the background. */
export function outputChannels(output: OutputFormulation): number {
  return output.targets.length + (output.background === null ? 0 : 1)
}

/** The targets a stage averages into: the class ids (segmenter, per-class gate) or [0] (any-defect gate). */
export function stageTargets(manifest: ModelManifest, stage: StageName): number[] {
  if (stage === 'classifier' && manifest.classifier?.gate !== 'perClass') return [0]
  return manifest.classes.map((c) => c.id)
}

/** The stage's own input (the set's, with the stage's overrides). */
export function stageInput(manifest: ModelManifest, stage: StageName): InputFormulation {
  return completeInput(manifest.input, manifest[stage]?.input)
}

export function resolveMembers(manifest: ModelManifest, stage: StageName): MemberFormulation[] {
  const s = manifest[stage]
  if (!s) return []
  const weights = memberWeights(s.members)
  const stageIn = stageInput(manifest, stage)
  return s.members.map((member, i) => {
    const input = completeInput(stageIn, member.input)
    const background = member.background ?? s.background
    const targets = member.channels ?? s.channels ?? stageTargets(manifest, stage)
    const size = member.outputSize ?? s.outputSize ?? (stage === 'segmenter' ? input : { height: 1, width: 1 })
    return {
      file: member.file,
      sha256: member.sha256,
      weight: weights[i],
      input,
      outputName: member.outputName ?? null,
      output: {
        activation: member.output ?? s.output,
        background: background === undefined || background === 'none' ? null : background,
        noBackground: background === 'none',
        targets,
        height: size.height,
        width: size.width,
      },
    }
  })
}

function completeInput(base: ManifestInput | InputFormulation, override: Partial<ManifestInput> | undefined): InputFormulation {
  const merged = { ...base, ...override }
  return { ...merged, channelOrder: merged.channelOrder ?? 'RGB', dtype: merged.dtype ?? 'float32' }
}

/** A key equal for equal inputs: members with one key share one input tensor. */
export function inputKey(input: InputFormulation): string {
  const { height, width, layout, channels, scale, mean, std, channelOrder, dtype } = input
  return JSON.stringify([height, width, layout, channels, scale, mean, std, channelOrder, dtype])
}

/**
 * True when a stage is the seed's shape: one shared input, element-wise activations, every
 * output channel one target in order, at the reference size. Such a stage averages the members'
 * outputs in their own layout (ensemble.ts's path, the fastest); any other goes member by member.
 */
export function isPlainStage(members: readonly MemberFormulation[], targets: readonly number[], reference: { height: number; width: number }): boolean {
  if (members.length === 0) return false
  const key = inputKey(members[0].input)
  return members.every(
    (m) =>
      inputKey(m.input) === key &&
      m.output.activation !== 'softmax' &&
      m.output.background === null &&
      m.output.targets.length === targets.length &&
      m.output.targets.every((t, i) => t === targets[i]) &&
      m.output.height === reference.height &&
      m.output.width === reference.width,
  )
}

/** The gate threshold a run records: the any-defect gate's, or the lowest per-class one. */
export function recordedGateThreshold(manifest: ModelManifest): number | null {
  const threshold = manifest.classifier?.threshold
  if (threshold === undefined) return null
  return Array.isArray(threshold) ? Math.min(...threshold) : threshold
}
