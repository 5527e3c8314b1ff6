// Runs a stage whose members differ from the seed's shape — their own inputs, softmax with a
// background channel, a channel → class mapping, an output below the input's resolution — member
// by member: each output is activated as declared, un-flipped, its channels taken to their targets
// and scaled bilinearly (half-pixel centres) to the stage's size, then averaged per target over the
// members that predict it, with their weights.
import { inputKey, outputChannels, type MemberFormulation } from '../../src-shared/formulation.ts'
import type { TtaView } from '../../src-shared/manifest.ts'
import type { ModelSession } from '../inference/index.ts'
import { inputDims } from './modelInput.ts'
import { resizePlane } from './resizePlane.ts'
import { checkOutputSize, runBatch } from './staticBatch.ts'
import { ACTIVATIONS, flipTensor, LAYOUT_STRIDES } from './tensorOps.ts'

export interface MemberStageSpec {
  /** Their outputs, in order, are the members' outputs (a merged session: one per member). */
  readonly sessions: readonly ModelSession[]
  readonly members: readonly MemberFormulation[]
  /** The stage's targets in order (class ids, or [0] for the any-defect gate). */
  readonly targets: readonly number[]
  /** The size every target plane is scaled to (1×1 for a classifier). */
  readonly height: number
  readonly width: number
  readonly views: readonly TtaView[]
}

export interface MemberStageResult {
  /** Per item, target-major planes (targets × height × width): the weighted mean of the probabilities. */
  readonly probabilities: Float32Array
  /** The weighted mean of their squares, when some target has several outputs (else null). */
  readonly squares: Float32Array | null
  readonly runMs: number
}

/** `inputFor` gives the batch's input tensor for a member's input (written once per distinct input). */
export async function runMemberStage(stage: MemberStageSpec, inputFor: (member: MemberFormulation) => Float32Array, items: number): Promise<MemberStageResult> {
  const { members, targets, views } = stage
  const plane = stage.height * stage.width
  const weights = targetWeights(members, targets, views.length)
  const contributors = targets.map((_, t) => members.filter((m) => m.output.targets.includes(targets[t])).length * views.length)
  const sum = new Float32Array(items * targets.length * plane)
  const squares = contributors.some((n) => n > 1) ? new Float32Array(sum.length) : null
  let runMs = 0
  for (const view of views) {
    const axis = view === 'hflip' ? 'width' : view === 'vflip' ? 'height' : null
    let m = 0
    for (const session of stage.sessions) {
      const first = members[m]
      const dims = inputDims(first.input, items)
      const input = inputFor(first)
      const viewInput = axis ? flipTensor(input, dims, first.input.layout, axis) : input
      const started = performance.now()
      const outputs = await runBatch(session, viewInput, dims)
      runMs += performance.now() - started
      outputs.forEach((output, k) => {
        const member = members[m + k]
        if (!member || inputKey(member.input) !== inputKey(first.input)) throw new Error(`${session.file}: its outputs do not match the stage's members`)
        const channels = outputChannels(member.output)
        const outPlane = member.output.height * member.output.width
        checkOutputSize(session, k, output, items, channels * outPlane, `${channels}×${member.output.height}×${member.output.width}`)
        const { layout } = member.input
        ACTIVATIONS[member.output.activation](output, items, channels, outPlane, layout)
        const outDims = layout === 'NHWC' ? [items, member.output.height, member.output.width, channels] : [items, channels, member.output.height, member.output.width]
        const unflipped = axis ? flipTensor(output, outDims, layout, axis) : output
        accumulateMember(unflipped, member, stage, weights[m + k], items, sum, squares)
      })
      m += outputs.length
    }
    if (m !== members.length) throw new Error(`the stage's sessions gave ${m} outputs for ${members.length} members`)
  }
  return { probabilities: sum, squares, runMs }
}

/** weights[m][t]: member m's share of target t among the members that predict t, per view. */
function targetWeights(members: readonly MemberFormulation[], targets: readonly number[], views: number): number[][] {
  const totals = targets.map((t) => members.reduce((sum, m) => sum + (m.output.targets.includes(t) ? m.weight : 0), 0))
  return members.map((m) => targets.map((t, i) => (m.output.targets.includes(t) ? m.weight / totals[i] / views : 0)))
}

function accumulateMember(
  output: Float32Array,
  member: MemberFormulation,
  stage: MemberStageSpec,
  weights: readonly number[],
  items: number,
  sum: Float32Array,
  squares: Float32Array | null,
): void {
  const { height, width, background, targets } = member.output
  const channels = outputChannels(member.output)
  const outPlane = height * width
  const strides = LAYOUT_STRIDES[member.input.layout](channels, outPlane)
  const plane = stage.height * stage.width
  const source = new Float32Array(outPlane)
  for (let b = 0; b < items; b++) {
    const item = b * channels * outPlane
    // Non-background channels in order are the member's targets in order.
    for (let ch = 0, mapped = 0; ch < channels; ch++) {
      if (ch === background) continue
      const t = stage.targets.indexOf(targets[mapped++])
      if (t < 0) continue
      for (let i = 0, at = item + ch * strides.channel; i < outPlane; i++, at += strides.pixel) source[i] = output[at]
      const scaled = resizePlane(source, height, width, stage.height, stage.width)
      const to = (b * stage.targets.length + t) * plane
      const w = weights[t]
      for (let i = 0; i < plane; i++) {
        const p = scaled[i]
        sum[to + i] += w * p
        if (squares) squares[to + i] += w * p * p
      }
    }
  }
}
