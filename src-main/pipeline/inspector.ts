// The per-image pipeline (docs/architecture.md): decoded pixels → model input → stage 1 → gate → stage 2
// (with TTA) → uint8 probability maps → post-processing → nearest scaling → RLE. Works on batches
// so that a GPU can take many images per run; on the CPU a batch is one image.
import { applyThresholds, isGatedIn, type PostprocessProfile } from '../../src-shared/postprocess.ts'
import type { LoadedModelSet } from '../inference/index.ts'
import type { DecodedImage } from './decode.ts'
import { classDisagreement } from './disagreement.ts'
import { runStage, type StageSpec } from './ensemble.ts'
import { scaledMaskRle } from './maskRle.ts'
import { inputDims, quantizeClassMaps, writeModelInput } from './tensor.ts'

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
}

/** A GPU is fed batches of at least this many images. */
export const GPU_BATCH_SIZE = 16

export class Inspector {
  readonly profile: PostprocessProfile
  readonly gateThreshold: number
  readonly channels: 1 | 3
  readonly imageSize: { readonly height: number; readonly width: number }
  readonly batchSize: number
  readonly #gateOverride: Readonly<Record<string, boolean>>
  readonly #set: LoadedModelSet
  readonly #classifier: StageSpec | null
  readonly #segmenter: StageSpec

  constructor(set: LoadedModelSet, options: InspectorOptions = {}) {
    const { manifest } = set
    const post = manifest.segmenter.postprocess
    this.#set = set
    this.channels = manifest.input.channels
    this.imageSize = manifest.imageSize
    this.profile = options.profile ?? { upper: post.upper, lower: post.lower, minAreaModelPx: post.minArea }
    this.gateThreshold = options.gateThreshold ?? manifest.classifier?.threshold ?? 0
    this.#gateOverride = options.gateOverride ?? {}
    const onGpu = set.provider.provider === 'cuda'
    this.batchSize = options.batchSize ?? (onGpu ? GPU_BATCH_SIZE : 1)
    const layout = manifest.input.layout
    // On a GPU, outputs go into arrays allocated once per batch size (onnxruntime copies its
    // device results straight into them); on the CPU that would only add a copy.
    const preallocate = onGpu
    this.#classifier = manifest.classifier
      ? { sessions: set.classifiers, members: manifest.classifier.members, output: manifest.classifier.output, layout, views: ['none'], preallocate }
      : null
    this.#segmenter = { sessions: set.segmenters, members: manifest.segmenter.members, output: manifest.segmenter.output, layout, views: manifest.tta, preallocate }
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
    const { input: spec } = this.#set.manifest
    const timings: BatchTimings = { tensorMs: 0, stage1RunMs: 0, stage2RunMs: 0, ensembleMs: 0, postMs: 0 }
    let mark = performance.now()
    const lap = () => {
      const now = performance.now()
      const elapsed = now - mark
      mark = now
      return elapsed
    }

    const dims = inputDims(spec, images.length)
    const itemSize = spec.height * spec.width * spec.channels
    const input = this.#takeInput(itemSize * images.length)
    images.forEach((image, b) => writeModelInput(image.pixels, image.height, image.width, spec, input, b))
    timings.tensorMs += lap()

    let gate: Float32Array | null = null
    if (this.#classifier) {
      const stage1 = await runStage(this.#classifier, input, dims)
      gate = stage1.probabilities
      timings.stage1RunMs += stage1.runMs
      timings.ensembleMs += lap() - stage1.runMs
    }
    const failures = images.map((_, b) => (gate && !Number.isFinite(gate[b]) ? `the classifier's probability is ${gate[b]}, not a finite number` : null))
    const gatedIn = images.map((_, b) => failures[b] === null && (forcedGate[b] ?? (gate ? isGatedIn(gate[b], this.gateThreshold) : true)))
    const selected = gatedIn.flatMap((isIn, b) => (isIn ? [b] : []))

    const maps = new Map<number, { maps: Uint8Array; maxQ: number[]; disagreement: number[] | null }>()
    if (selected.length > 0) {
      const stage2Input = selected.length === images.length ? input : gatherItems(input, itemSize, selected)
      const stage2 = await runStage(this.#segmenter, stage2Input, inputDims(spec, selected.length))
      timings.stage2RunMs += stage2.runMs
      const k = this.#set.manifest.classes.length
      const itemLength = k * spec.height * spec.width
      selected.forEach((b, s) => {
        const bad = countNonFinite(stage2.probabilities, s * itemLength, itemLength)
        if (bad > 0) {
          failures[b] = `the segmenter's output has ${bad} NaN or infinite value${bad === 1 ? '' : 's'}`
          return
        }
        maps.set(b, {
          ...quantizeClassMaps(stage2.probabilities, s, spec.layout, k, spec.height, spec.width),
          disagreement: stage2.squares && classDisagreement(stage2.probabilities, stage2.squares, s, spec.layout, k, spec.height, spec.width),
        })
      })
      timings.ensembleMs += lap() - stage2.runMs
    }
    this.#spareInput = input

    const inspections = images.map((image, b) => this.#postprocess(image, gate ? gate[b] : null, gatedIn[b], maps.get(b) ?? null))
    timings.postMs += lap()
    return { inspections, failures, timings }
  }

  /** The last batch's input array, free to be overwritten by the next batch of the same size. */
  #spareInput: Float32Array | null = null

  #takeInput(length: number): Float32Array {
    const spare = this.#spareInput
    this.#spareInput = null
    return spare?.length === length ? spare : new Float32Array(length)
  }

  #postprocess(image: DecodedImage, gateProbability: number | null, isGatedIn: boolean, quantized: { maps: Uint8Array; maxQ: number[]; disagreement: number[] | null } | null): Inspection {
    const { classes } = this.#set.manifest
    const { height, width } = this.#set.manifest.input
    if (!quantized) {
      return { gateProbability, isGatedIn, probMapsU8: null, classes: classes.map((c) => ({ classId: c.id, rle: '', areaPx: 0, maxProbability: 0, disagreement: null })) }
    }
    // The display/export rule (thresholdToImageMasks: thresholds at model resolution, nearest
    // scaling to the image size) with the scaling, area and RLE done in one pass, without the
    // image-size masks; test/main/pipeline/fastPaths.test.ts holds the two equal.
    const { masks } = applyThresholds(quantized.maps, height * width, this.profile)
    const results = classes.map((c, i) => {
      const { rle, area } = scaledMaskRle(masks[i], height, width, image.height, image.width)
      return { classId: c.id, rle, areaPx: area, maxProbability: quantized.maxQ[i] / 255, disagreement: quantized.disagreement?.[i] ?? null }
    })
    return { gateProbability, isGatedIn, probMapsU8: quantized.maps, classes: results }
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
