// The per-image pipeline (docs/architecture.md): decoded pixels → model input → stage 1 → gate → stage 2
// (with TTA) → uint8 probability maps → post-processing → nearest scaling → RLE. Works on batches
// so that a GPU can take many images per run; on the CPU a batch is one image.
import { inputKey, isPlainStage, stageTargets, type InputFormulation, type MemberFormulation } from '../../src-shared/formulation.ts'
import { EXECUTION_PROVIDERS } from '../../src-shared/providers.ts'
import { applyThresholds, isGatedIn, type PostprocessProfile } from '../../src-shared/postprocess.ts'
import type { LoadedModelSet } from '../inference/index.ts'
import { quantizeClassMaps } from './classMaps.ts'
import type { DecodedImage } from './decode.ts'
import { classDisagreement } from './disagreement.ts'
import { runStage, type StageSpec } from './ensemble.ts'
import { scaledMaskRle } from './maskRle.ts'
import { runMemberStage, type MemberStageSpec } from './memberStage.ts'
import { inputDims, writeModelInput } from './modelInput.ts'

export interface ClassResult {
  readonly classId: number
  /** RLE at the image's own size ('' when empty). */
  readonly rle: string
  readonly areaPx: number
  /** Highest stored probability of the class anywhere in the image (0 when gated out). */
  readonly maxProbability: number
  /** How much the members and views disagree on the class (see disagreement.ts); null with a single output. */
  readonly disagreement: number | null
}

export interface Inspection {
  /** Mean classifier probability; null when the set has no classifier. */
  readonly gateProbability: number | null
  readonly isGatedIn: boolean
  /**
   * A per-class gate's probability for each class, and its decision (`p >= threshold[c]`); a class
   * gated out is empty and its stored map is zero. Null with an any-defect gate or none.
   */
  readonly classGates: { readonly probabilities: readonly number[]; readonly passed: readonly boolean[] } | null
  /** K class-major uint8 maps at model resolution (q = round(255·p)); null when gated out. */
  readonly probMapsU8: Uint8Array | null
  readonly classes: readonly ClassResult[]
}

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

/** A stage as the Inspector runs it: the plain path (one input, averaged in the model's layout) or member by member. */
type StageRun =
  | { readonly plain: true; readonly spec: StageSpec; readonly input: InputFormulation; readonly targets: readonly number[] }
  | { readonly plain: false; readonly spec: MemberStageSpec; readonly targets: readonly number[] }

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
    // One input tensor per distinct input the members take, written when first needed.
    const inputs = new Map<string, Float32Array>()
    const inputFor = (spec: InputFormulation, indices: readonly number[]): Float32Array => {
      const key = `${inputKey(spec)}|${indices.join(',')}`
      let input = inputs.get(key)
      if (!input) {
        const itemSize = spec.height * spec.width * spec.channels
        const whole = inputs.get(`${inputKey(spec)}|${images.map((_, b) => b).join(',')}`)
        input = whole && indices.length < images.length ? gatherItems(whole, itemSize, indices) : this.#writeInput(images, indices, spec, itemSize * indices.length)
        inputs.set(key, input)
      }
      return input
    }
    const all = images.map((_, b) => b)

    let gate: Float32Array | null = null
    let gateTargets = 1
    if (this.#classifier) {
      const stage1 = await this.#run(this.#classifier, (spec) => inputFor(spec, all), images.length, timings)
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

    const maps = new Map<number, { maps: Uint8Array; maxQ: number[]; disagreement: number[] | null }>()
    if (selected.length > 0) {
      const stage2 = await this.#run(this.#segmenter, (spec) => inputFor(spec, selected), selected.length, timings)
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
    const spare = inputs.get(`${inputKey(this.#firstInput())}|${all.join(',')}`)
    if (spare) this.#spareInput = spare

    const postStarted = performance.now()
    const inspections = images.map((image, b) => this.#postprocess(image, gateProbability(b), gatedIn[b], classGates[b], maps.get(b) ?? null))
    timings.postMs += performance.now() - postStarted
    return { inspections, failures, timings }
  }

  /** Runs a stage by its path; time writing inputs and around session.run goes to the timings. */
  async #run(stage: StageRun, inputOf: (spec: InputFormulation) => Float32Array, items: number, timings: BatchTimings): Promise<{ probabilities: Float32Array; squares: Float32Array | null; runMs: number }> {
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
    timings.tensorMs += tensorMs
    timings.ensembleMs += performance.now() - started - tensorMs - result.runMs
    return result
  }

  #classGate(gate: Float32Array, b: number, forced: boolean | undefined): { probabilities: number[]; passed: boolean[] } {
    const thresholds = this.#perClassThresholds ?? []
    const probabilities = [...gate.subarray(b * thresholds.length, (b + 1) * thresholds.length)]
    // A forced decision forces every class.
    const passed = probabilities.map((p, c) => forced ?? isGatedIn(p, thresholds[c]))
    return { probabilities, passed }
  }

  #firstInput(): InputFormulation {
    const stage = this.#classifier ?? this.#segmenter
    return stage.plain ? stage.input : stage.spec.members[0].input
  }

  #writeInput(images: readonly DecodedImage[], indices: readonly number[], spec: InputFormulation, length: number): Float32Array {
    const input = this.#takeInput(length)
    indices.forEach((b, s) => {
      const image = images[b]
      const pixels = spec.channelOrder === 'BGR' && image.channels === 3 ? swapRedBlue(image.pixels) : image.pixels
      writeModelInput(pixels, image.height, image.width, spec, input, s)
    })
    return input
  }

  /** The last batch's input array, free to be overwritten by the next batch of the same size. */
  #spareInput: Float32Array | null = null

  #takeInput(length: number): Float32Array {
    const spare = this.#spareInput
    this.#spareInput = null
    return spare?.length === length ? spare : new Float32Array(length)
  }

  #postprocess(image: DecodedImage, gateProbability: number | null, isGatedIn: boolean, classGates: Inspection['classGates'], quantized: { maps: Uint8Array; maxQ: number[]; disagreement: number[] | null } | null): Inspection {
    const { classes } = this.#set.manifest
    const { height, width } = this.#set.manifest.input
    if (!quantized) {
      return { gateProbability, isGatedIn, classGates, probMapsU8: null, classes: classes.map((c) => ({ classId: c.id, rle: '', areaPx: 0, maxProbability: 0, disagreement: null })) }
    }
    // The display/export rule (thresholdToImageMasks: thresholds at model resolution, nearest
    // scaling to the image size) with the scaling, area and RLE done in one pass, without the
    // image-size masks; test/main/pipeline/fastPaths.test.ts holds the two equal.
    const { masks } = applyThresholds(quantized.maps, height * width, this.profile)
    const results = classes.map((c, i) => {
      const { rle, area } = scaledMaskRle(masks[i], height, width, image.height, image.width)
      return { classId: c.id, rle, areaPx: area, maxProbability: quantized.maxQ[i] / 255, disagreement: quantized.disagreement?.[i] ?? null }
    })
    return { gateProbability, isGatedIn, classGates, probMapsU8: quantized.maps, classes: results }
  }
}

/** NaN and ±Infinity in values[start, start + length): x - x is 0 for every finite x only. */
function countNonFinite(values: Float32Array, start: number, length: number): number {
  let bad = 0
  for (let i = start; i < start + length; i++) if (values[i] - values[i] !== 0) bad++
  return bad
}

function gatherItems(batch: Float32Array, itemSize: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(itemSize * indices.length)
  indices.forEach((b, s) => out.set(batch.subarray(b * itemSize, (b + 1) * itemSize), s * itemSize))
  return out
}

function stageRun(
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
    return { plain: true, input, targets, spec: { sessions, weights: members.map((m) => m.weight), output, layout: input.layout, views, preallocate } }
  }
  return { plain: false, targets, spec: { sessions, members, targets, height: reference.height, width: reference.width, views } }
}

/** A class its gate turned away is empty: its stored map is zero, so review and export agree. */
function zeroGatedClasses(quantized: { maps: Uint8Array; maxQ: number[] }, gates: Inspection['classGates'], plane: number): void {
  gates?.passed.forEach((passed, c) => {
    if (passed) return
    quantized.maps.fill(0, c * plane, (c + 1) * plane)
    quantized.maxQ[c] = 0
  })
}

/** RGB → BGR (or back) of interleaved 3-channel pixels. */
export function swapRedBlue(pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(pixels.length)
  for (let i = 0; i < pixels.length; i += 3) {
    out[i] = pixels[i + 2]
    out[i + 1] = pixels[i + 1]
    out[i + 2] = pixels[i]
  }
  return out
}
