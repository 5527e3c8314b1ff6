// A stage as the Inspector runs it: the plain path (one input, the members averaged in the model's
// own layout, ensemble.ts) or member by member (memberStage.ts), chosen once from the manifest.
import { isPlainStage, type InputFormulation, type MemberFormulation } from '../../src-shared/formulation.ts'
import { runStage, type StageSpec } from './ensemble.ts'
import { runMemberStage, type MemberStageSpec } from './memberStage.ts'
import { inputDims } from './modelInput.ts'

export type StageRun =
  | { readonly plain: true; readonly spec: StageSpec; readonly input: InputFormulation; readonly targets: readonly number[] }
  | { readonly plain: false; readonly spec: MemberStageSpec; readonly targets: readonly number[] }

export interface StageOutcome {
  readonly probabilities: Float32Array
  readonly squares: Float32Array | null
  /** Milliseconds inside session.run. */
  readonly runMs: number
  /** Milliseconds writing input tensors. */
  readonly tensorMs: number
  /** Milliseconds around session.run: flips, activations, averaging. */
  readonly ensembleMs: number
}

export function stageRun(
  sessions: StageSpec['sessions'],
  members: readonly MemberFormulation[],
  targets: readonly number[],
  reference: { readonly height: number; readonly width: number },
  output: StageSpec['output'],
  views: StageSpec['views'],
  preallocate: boolean,
): StageRun {
  if (isPlainStage(members, targets, reference)) {
    const input = members[0].input
    const perItem = { values: targets.length * reference.height * reference.width, shape: `${targets.length}×${reference.height}×${reference.width}` }
    return { plain: true, input, targets, spec: { sessions, weights: members.map((m) => m.weight), output, layout: input.layout, views, perItem, preallocate } }
  }
  return { plain: false, targets, spec: { sessions, members, targets, height: reference.height, width: reference.width, views } }
}

/** Runs a stage by its path on `items` images; `inputOf` gives the batch's tensor for an input. */
export async function runStageRun(stage: StageRun, inputOf: (spec: InputFormulation) => Float32Array, items: number): Promise<StageOutcome> {
  let tensorMs = 0
  const timedInput = (spec: InputFormulation) => {
    const started = performance.now()
    const input = inputOf(spec)
    tensorMs += performance.now() - started
    return input
  }
  const started = performance.now()
  const result = stage.plain
    ? await runStage(stage.spec, timedInput(stage.input), inputDims(stage.input, items))
    : await runMemberStage(stage.spec, (member) => timedInput(member.input), items)
  return { ...result, tensorMs, ensembleMs: performance.now() - started - tensorMs - result.runMs }
}

/** The input the stage reads first (the one whose tensor is kept for the next batch). */
export function firstInput(stage: StageRun): InputFormulation {
  return stage.plain ? stage.input : stage.spec.members[0].input
}
