// Runs a stage's members (and TTA views) on one batch and averages their activated outputs with the
// manifest's weights. Time spent inside session.run is measured apart from the work around it.
import { memberWeights, type ManifestMember, type OutputKind, type TensorLayout, type TtaView } from '../../src-shared/manifest.ts'
import type { ModelSession } from '../inference/index.ts'
import { flipTensor, sigmoidInPlace } from './tensor.ts'

export interface StageSpec {
  readonly sessions: readonly ModelSession[]
  readonly members: readonly ManifestMember[]
  readonly output: OutputKind
  readonly layout: TensorLayout
  readonly views: readonly TtaView[]
}

export interface StageResult {
  /** Weighted mean of the members' (and views') probabilities, in the model's output layout. */
  readonly probabilities: Float32Array
  /** Milliseconds inside session.run. */
  readonly runMs: number
}

export async function runStage(stage: StageSpec, input: Float32Array, dims: readonly number[]): Promise<StageResult> {
  const weights = memberWeights(stage.members)
  let sum: Float32Array | null = null
  let runMs = 0
  for (const view of stage.views) {
    const axis = view === 'hflip' ? 'width' : view === 'vflip' ? 'height' : null
    const viewInput = axis ? flipTensor(input, dims, stage.layout, axis) : input
    for (let m = 0; m < stage.sessions.length; m++) {
      const started = performance.now()
      let output = await stage.sessions[m].run(viewInput, dims)
      runMs += performance.now() - started
      if (stage.output === 'logit') output = sigmoidInPlace(output.slice())
      if (axis) output = flipTensor(output, outputDims(dims, output.length, stage.layout), stage.layout, axis)
      sum ??= new Float32Array(output.length)
      const weight = weights[m] / stage.views.length
      for (let i = 0; i < output.length; i++) sum[i] += weight * output[i]
    }
  }
  return { probabilities: sum ?? new Float32Array(0), runMs }
}

/** Output dims of a segmenter: same batch and spatial axes as the input, K channels. */
function outputDims(inputDims: readonly number[], length: number, layout: TensorLayout): number[] {
  const [n, a, b, d] = inputDims
  const [height, width] = layout === 'NHWC' ? [a, b] : [b, d]
  const classes = length / (n * height * width)
  return layout === 'NHWC' ? [n, height, width, classes] : [n, classes, height, width]
}
