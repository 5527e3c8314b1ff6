// The per-image pipeline (docs/architecture.md): decoded pixels → model input → stage 1 → gate → stage 2
// (with TTA) → uint8 probability maps → post-processing → nearest scaling → RLE. Works on batches
// so that a GPU can take many images per run; on the CPU a batch is one image. This file decides the
// gate; each stage runs by its path (stageRun.ts) on the batch's input tensors (batchInputs.ts),
// and inspection.ts makes each image's result from its maps.
import { stageTargets } from '../../src-shared/formulation.ts'
import { EXECUTION_PROVIDERS } from '../../src-shared/providers.ts'
import { isGatedIn, type PostprocessProfile } from '../../src-shared/postprocess.ts'
import type { LoadedModelSet } from '../inference/index.ts'
import { BatchInputs } from './batchInputs.ts'
import { quantizeClassMaps } from './classMaps.ts'
import type { DecodedImage } from './decode.ts'
import { classDisagreement } from './disagreement.ts'
import { countNonFinite, inspectionOf, zeroGatedClasses, type Inspection, type QuantizedMaps } from './inspection.ts'
import { firstInput, runStageRun, stageRun, type StageOutcome, type StageRun } from './stageRun.ts'

export type { ClassResult, Inspection } from './inspection.ts'

export interface BatchTimings {
  tensorMs: number
  stage1RunMs: number
  stage2RunMs: number
  /** Flips, activations and averaging around session.run. */
  ensembleMs: number
  /** Quantisation, thresholds, scaling and RLE. */
  postMs: number
}

export interface InspectorOptions {
  /** Overrides the manifest's post-processing (e.g. a reviewer's threshold profile). */
  readonly profile?: PostprocessProfile
  /** Overrides the manifest's gate threshold; 0 segments every image. */
  readonly gateThreshold?: number
  /**
   * Forces the gate decision of the images with these file names (true: segmented). The
   * classifiers still run and their probability is reported. Benchmarks use it to send a known
   * set of images to stage 2.
   */
  readonly gateOverride?: Readonly<Record<string, boolean>>
  /** Images per batch: default 16 on CUDA, 1 on the CPU (where batching does not help). */
  readonly batchSize?: number
  /**
   * Run into output arrays kept per batch size, as on a GPU (default: on CUDA only). Tests set it
   * to run the GPU's batching code on the CPU.
   */
  readonly preallocate?: boolean
}

/** A GPU is fed batches of at least this many images. */
export const GPU_BATCH_SIZE = EXECUTION_PROVIDERS.cuda.batchSize

export class Inspector {
  readonly profile: PostprocessProfile
  readonly gateThreshold: number
  readonly channels: 1 | 3
  readonly imageSize: { readonly height: number; readonly width: number }
  readonly batchSize: number
  readonly #gateOverride: Readonly<Record<string, boolean>>
  readonly #set: LoadedModelSet
  readonly #classifier: StageRun | null
  readonly #segmenter: StageRun
  readonly #perClassThresholds: readonly number[] | null
  readonly #inputs = new BatchInputs()

  constructor(set: LoadedModelSet, options: InspectorOptions = {}) {
    const { manifest } = set
    const post = manifest.segmenter.postprocess
    this.#set = set
    this.channels = manifest.input.channels
    this.imageSize = manifest.imageSize
    this.profile = options.profile ?? { upper: post.upper, lower: post.lower, minAreaModelPx: post.minArea }
    const threshold = manifest.classifier?.threshold ?? 0
    this.gateThreshold = options.gateThreshold ?? (Array.isArray(threshold) ? Math.min(...threshold) : threshold)
    // An explicit gate threshold (0: segment everything) replaces the per-class ones too.
    this.#perClassThresholds = Array.isArray(threshold) && options.gateThreshold === undefined ? threshold : null
    this.#gateOverride = options.gateOverride ?? {}
    const provider = EXECUTION_PROVIDERS[set.provider.provider]
    this.batchSize = options.batchSize ?? provider.batchSize
    // On a GPU, outputs go into arrays allocated once per batch size (onnxruntime copies its
    // device results straight into them); on the CPU that would only add a copy.
    const preallocate = options.preallocate ?? provider.preallocateOutputs
    const members = set.formulations
    this.#classifier = manifest.classifier
      ? stageRun(set.classifiers, members.classifier, stageTargets(manifest, 'classifier'), { height: 1, width: 1 }, manifest.classifier.output, ['none'], preallocate)
      : null
    this.#segmenter = stageRun(set.segmenters, members.segmenter, stageTargets(manifest, 'segmenter'), manifest.input, manifest.segmenter.output, manifest.tta, preallocate)
  }

  /** The forced gate decision for a file name, if there is one. */
  gateOverrideFor(name: string): boolean | undefined {
    return Object.hasOwn(this.#gateOverride, name) ? this.#gateOverride[name] : undefined
  }

  /**
   * Inspects decoded images as one batch; results come back in the same order. `forcedGate[b]`,
   * when a boolean, replaces the gate decision of image b. `failures[b]` says why image b has no
   * usable result (a model gave NaN or an infinite value for it); its inspection is then empty.
   */
  async inspectBatch(
    images: readonly DecodedImage[],
    forcedGate: readonly (boolean | undefined)[] = [],
  ): Promise<{ inspections: Inspection[]; failures: (string | null)[]; timings: BatchTimings }> {
    const { input: reference, classes } = this.#set.manifest
    const timings: BatchTimings = { tensorMs: 0, stage1RunMs: 0, stage2RunMs: 0, ensembleMs: 0, postMs: 0 }
    const tensors = this.#inputs.forBatch(images)
    const all = images.map((_, b) => b)

    let gate: Float32Array | null = null
    let gateTargets = 1
    if (this.#classifier) {
      const stage1 = timed(await runStageRun(this.#classifier, (spec) => tensors.get(spec, all), images.length), timings)
      gate = stage1.probabilities
      gateTargets = this.#classifier.targets.length
      timings.stage1RunMs += stage1.runMs
    }
    const gateOf = (b: number): Float32Array | null => (gate ? gate.subarray(b * gateTargets, (b + 1) * gateTargets) : null)
    const failures = images.map((_, b): string | null => {
      const nonFinite = gateOf(b)?.find((p) => !Number.isFinite(p))
      return nonFinite === undefined ? null : `the classifier's probability is ${nonFinite}, not a finite number`
    })
    const classGates = images.map((_, b) => (gate && this.#perClassThresholds ? this.#classGate(gate, b, forcedGate[b]) : null))
    const gateProbability = (b: number): number | null => (gate ? Math.max(...gateOf(b)!) : null)
    const gatedIn = images.map(
      // A per-class classifier under one explicit threshold gates on its highest class.
      (_, b) => failures[b] === null && (forcedGate[b] ?? classGates[b]?.passed.some(Boolean) ?? (gate ? isGatedIn(gateProbability(b)!, this.gateThreshold) : true)),
    )
    const selected = gatedIn.flatMap((isIn, b) => (isIn ? [b] : []))

    const maps = new Map<number, QuantizedMaps>()
    if (selected.length > 0) {
      const stage2 = timed(await runStageRun(this.#segmenter, (spec) => tensors.get(spec, selected), selected.length), timings)
      const quantizeStarted = performance.now()
      timings.stage2RunMs += stage2.runMs
      const k = classes.length
      const itemLength = k * reference.height * reference.width
      // The plain path keeps the model's layout; the member path gives class-major planes (NCHW's order).
      const layout = this.#segmenter.plain ? this.#segmenter.input.layout : 'NCHW'
      selected.forEach((b, s) => {
        const bad = countNonFinite(stage2.probabilities, s * itemLength, itemLength)
        if (bad > 0) {
          failures[b] = `the segmenter's output has ${bad} NaN or infinite value${bad === 1 ? '' : 's'}`
          return
        }
        const quantized = quantizeClassMaps(stage2.probabilities, s, layout, k, reference.height, reference.width)
        zeroGatedClasses(quantized, classGates[b], reference.height * reference.width)
        maps.set(b, {
          ...quantized,
          disagreement: stage2.squares && classDisagreement(stage2.probabilities, stage2.squares, s, layout, k, reference.height, reference.width),
        })
      })
      timings.ensembleMs += performance.now() - quantizeStarted
    }
    this.#inputs.keep(tensors, firstInput(this.#classifier ?? this.#segmenter))

    const postStarted = performance.now()
    const inspections = images.map((image, b) =>
      inspectionOf(this.#set.manifest, this.profile, image, { probability: gateProbability(b), isGatedIn: gatedIn[b], classGates: classGates[b] }, maps.get(b) ?? null),
    )
    timings.postMs += performance.now() - postStarted
    return { inspections, failures, timings }
  }

  #classGate(gate: Float32Array, b: number, forced: boolean | undefined): { probabilities: number[]; passed: boolean[] } {
    const thresholds = this.#perClassThresholds ?? []
    const probabilities = [...gate.subarray(b * thresholds.length, (b + 1) * thresholds.length)]
    // A forced decision forces every class.
    const passed = probabilities.map((p, c) => forced ?? isGatedIn(p, thresholds[c]))
    return { probabilities, passed }
  }
}

/** Adds a stage's times to the batch's; the stage's outcome passes through. */
function timed(outcome: StageOutcome, timings: BatchTimings): StageOutcome {
  timings.tensorMs += outcome.tensorMs
  timings.ensembleMs += outcome.ensembleMs
  return outcome
}
