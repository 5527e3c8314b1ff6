// Runs a stage's members (and TTA views) on one batch and averages their activated outputs with the
// manifest's weights. Time spent inside session.run is measured apart from the work around it.
import type { OutputKind, TensorLayout, TtaView } from '../../src-shared/manifest.ts'
import type { ModelSession } from '../inference/index.ts'
import { checkOutputSize, runBatch } from './staticBatch.ts'
import { ACTIVATIONS, flipTensor } from './tensorOps.ts'

export interface StageSpec {
  /** Their outputs, in order, are the members' outputs (a merged stage: one session, one output per member). */
  readonly sessions: readonly ModelSession[]
  /** The members' weights, normalised to sum 1, in member order. */
  readonly weights: readonly number[]
  readonly output: OutputKind
  readonly layout: TensorLayout
  readonly views: readonly TtaView[]
  /** Values each member's output must give per item (channels × height × width), and their shape in words. */
  readonly perItem?: { readonly values: number; readonly shape: string }
  /** Run into output arrays kept per session and batch size (the GPU path). */
  readonly preallocate?: boolean
}

export interface StageResult {
  /** Weighted mean of the members' (and views') probabilities, in the model's output layout. */
  readonly probabilities: Float32Array
  /** Weighted mean of their squares, when there are several outputs to disagree (else null). */
  readonly squares: Float32Array | null
  /** Milliseconds inside session.run. */
  readonly runMs: number
}

export async function runStage(stage: StageSpec, input: Float32Array, dims: readonly number[]): Promise<StageResult> {
  const { weights } = stage
  let sum: Float32Array | null = null
  let squares: Float32Array | null = null
  const hasSpread = stage.views.length * weights.length > 1
  let runMs = 0
  for (const view of stage.views) {
    const axis = view === 'hflip' ? 'width' : view === 'vflip' ? 'height' : null
    const viewInput = axis ? flipTensor(input, dims, stage.layout, axis) : input
    let m = 0
    for (const session of stage.sessions) {
      const started = performance.now()
      const pool = stage.preallocate ? takeOutputs(session, dims[0]) : null
      const outputs = await runBatch(session, viewInput, dims, pool ? viewsFor(pool, dims[0]) : undefined)
      runMs += performance.now() - started
      if (m + outputs.length > weights.length) throw new Error(`the stage's sessions give more outputs than its ${weights.length} members`)
      if (stage.perItem) outputs.forEach((output, k) => checkOutputSize(session, k, output, dims[0], stage.perItem!.values, stage.perItem!.shape))
      const activated = outputs.map((output) => {
        // The arrays are this run's alone (allocated for it, or taken from the pool): change them in place.
        // A plain stage's activations are element-wise (no softmax), so the shape does not matter.
        output = ACTIVATIONS[stage.output](output, dims[0], 1, output.length / dims[0], stage.layout)
        return axis ? flipTensor(output, outputDims(dims, output.length, stage.layout), stage.layout, axis) : output
      })
      sum ??= new Float32Array(activated[0].length)
      if (hasSpread) squares ??= new Float32Array(activated[0].length)
      accumulateAll(sum, squares, activated, weights.slice(m, m + activated.length).map((w) => w / stage.views.length))
      m += activated.length
      // Everything read from them is in `sum` now: the arrays can take the next run.
      if (pool) giveBackOutputs(session, pool)
    }
    if (m !== weights.length) throw new Error(`the stage's sessions gave ${m} outputs for ${weights.length} members`)
  }
  return { probabilities: sum ?? new Float32Array(0), squares, runMs }
}

/**
 * sum += weights[k] · outputs[k] for k in order, element by element: each double product is added
 * to the float32 sum and rounded to float32, exactly as one `sum[i] += w · o[i]` pass per output;
 * and when `squares` is given, squares += weights[k] · outputs[k]² in the same way (the members'
 * spread: variance = mean of squares − mean²). Two or three outputs (a merged stage) go in one
 * pass over the arrays. Small functions of their own: V8 compiles them to tight loops (3× faster
 * than the same loop inline in runStage).
 */
function accumulateAll(sum: Float32Array, squares: Float32Array | null, outputs: readonly Float32Array[], w: readonly number[]): void {
  let k = 0
  for (; k + 3 <= outputs.length; k += 3) {
    if (squares) accumulate3WithSquares(sum, squares, outputs[k], outputs[k + 1], outputs[k + 2], w[k], w[k + 1], w[k + 2])
    else accumulate3(sum, outputs[k], outputs[k + 1], outputs[k + 2], w[k], w[k + 1], w[k + 2])
  }
  for (; k < outputs.length; k++) {
    if (squares) accumulateWithSquares(sum, squares, outputs[k], w[k])
    else accumulate(sum, outputs[k], w[k])
  }
}

function accumulate(sum: Float32Array, a: Float32Array, wa: number): void {
  for (let i = 0; i < sum.length; i++) sum[i] += wa * a[i]
}

function accumulateWithSquares(sum: Float32Array, squares: Float32Array, a: Float32Array, wa: number): void {
  for (let i = 0; i < sum.length; i++) {
    const x = a[i]
    sum[i] += wa * x
    squares[i] += wa * x * x
  }
}

function accumulate3(sum: Float32Array, a: Float32Array, b: Float32Array, c: Float32Array, wa: number, wb: number, wc: number): void {
  for (let i = 0; i < sum.length; i++) sum[i] = Math.fround(Math.fround(sum[i] + wa * a[i]) + wb * b[i]) + wc * c[i]
}

function accumulate3WithSquares(sum: Float32Array, squares: Float32Array, a: Float32Array, b: Float32Array, c: Float32Array, wa: number, wb: number, wc: number): void {
  for (let i = 0; i < sum.length; i++) {
    const x = a[i]
    const y = b[i]
    const z = c[i]
    sum[i] = Math.fround(Math.fround(sum[i] + wa * x) + wb * y) + wc * z
    squares[i] = Math.fround(Math.fround(squares[i] + wa * x * x) + wb * y * y) + wc * z * z
  }
}

/**
 * Output arrays kept per session, sized for the largest batch seen; a smaller batch runs into the
 * front of them. A pool is taken while a run uses it, so overlapping runs never share arrays.
 */
interface OutputPool {
  readonly batch: number
  readonly arrays: Float32Array[]
}
const spareOutputs = new WeakMap<ModelSession, OutputPool>()

/** A pool for every output of `session` at this batch size, or null where a size is not fixed. */
function takeOutputs(session: ModelSession, batch: number): OutputPool | null {
  const itemSizes = session.outputs.map((o) => o.shape.slice(1).reduce<number>((n, d) => (typeof d === 'number' && d > 0 ? n * d : NaN), 1))
  if (!itemSizes.every((n) => Number.isInteger(n) && n > 0)) return null
  const spare = spareOutputs.get(session)
  spareOutputs.delete(session)
  return spare && spare.batch >= batch ? spare : { batch, arrays: itemSizes.map((n) => new Float32Array(n * batch)) }
}

/** The arrays of `pool` for a run of `batch` items. */
function viewsFor(pool: OutputPool, batch: number): Float32Array[] {
  return pool.arrays.map((array) => array.subarray(0, (array.length / pool.batch) * batch))
}

function giveBackOutputs(session: ModelSession, pool: OutputPool): void {
  const spare = spareOutputs.get(session)
  if (!spare || spare.batch < pool.batch) spareOutputs.set(session, pool)
}

/** Output dims of a segmenter: same batch and spatial axes as the input, K channels. */
function outputDims(inputDims: readonly number[], length: number, layout: TensorLayout): number[] {
  const [n, a, b, d] = inputDims
  const [height, width] = layout === 'NHWC' ? [a, b] : [b, d]
  const classes = length / (n * height * width)
  return layout === 'NHWC' ? [n, height, width, classes] : [n, classes, height, width]
}
