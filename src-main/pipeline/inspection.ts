// What inspecting one image gives, and the last step that makes it: the stored uint8 maps
// thresholded at model resolution (the display and export rule), scaled to the image by nearest
// neighbour and run-length encoded per class.
import type { ModelManifest } from '../../src-shared/manifest.ts'
import { applyThresholds, type PostprocessProfile } from '../../src-shared/postprocess.ts'
import type { DecodedImage } from './decode.ts'
import { scaledMaskRle } from './maskRle.ts'

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

/** An image's quantised class maps (K × model height × width), their maxima and disagreement. */
export interface QuantizedMaps {
  readonly maps: Uint8Array
  readonly maxQ: number[]
  readonly disagreement: number[] | null
}

export function inspectionOf(
  manifest: ModelManifest,
  profile: PostprocessProfile,
  image: DecodedImage,
  gate: { probability: number | null; isGatedIn: boolean; classGates: Inspection['classGates'] },
  quantized: QuantizedMaps | null,
): Inspection {
  const { classes } = manifest
  const { height, width } = manifest.input
  const { probability: gateProbability, isGatedIn, classGates } = gate
  if (!quantized) {
    return { gateProbability, isGatedIn, classGates, probMapsU8: null, classes: classes.map((c) => ({ classId: c.id, rle: '', areaPx: 0, maxProbability: 0, disagreement: null })) }
  }
  // The display/export rule (thresholdToImageMasks: thresholds at model resolution, nearest
  // scaling to the image size) with the scaling, area and RLE done in one pass, without the
  // image-size masks; test/main/pipeline/fastPaths.test.ts holds the two equal.
  const { masks } = applyThresholds(quantized.maps, height * width, profile)
  const results = classes.map((c, i) => {
    const { rle, area } = scaledMaskRle(masks[i], height, width, image.height, image.width)
    return { classId: c.id, rle, areaPx: area, maxProbability: quantized.maxQ[i] / 255, disagreement: quantized.disagreement?.[i] ?? null }
  })
  return { gateProbability, isGatedIn, classGates, probMapsU8: quantized.maps, classes: results }
}

/** A class its gate turned away is empty: its stored map is zero, so review and export agree. */
export function zeroGatedClasses(quantized: { maps: Uint8Array; maxQ: number[] }, gates: Inspection['classGates'], plane: number): void {
  gates?.passed.forEach((passed, c) => {
    if (passed) return
    quantized.maps.fill(0, c * plane, (c + 1) * plane)
    quantized.maxQ[c] = 0
  })
}

/** NaN and ±Infinity in values[start, start + length): x - x is 0 for every finite x only. */
export function countNonFinite(values: Float32Array, start: number, length: number): number {
  let bad = 0
  for (let i = start; i < start + length; i++) if (values[i] - values[i] !== 0) bad++
  return bad
}
