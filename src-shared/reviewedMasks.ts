// "The masks under a profile, else the human mask": what a review stands on, per class. The model's
// masks are thresholded from the stored probability maps under a profile (all empty when the image
// is not segmented under it); a class a person edited shows the person's mask instead. The Review
// screen and every export and report compose masks with these two functions, so what is exported
// is what the screen showed, by construction.
import { thresholdToImageMasks, type Size } from './postprocess.ts'
import { isSegmentedUnder, type ThresholdProfile } from './thresholdProfile.ts'

/** Model masks at image size under a profile, one per class; all empty when not segmented under it. */
export function modelMasksUnder(
  maps: Uint8Array | null,
  mapSize: Size | null,
  imageSize: Size,
  classCount: number,
  profile: ThresholdProfile,
  gateProbability: number | null,
): Uint8Array[] {
  if (!maps || !mapSize || !isSegmentedUnder(profile, gateProbability)) {
    return Array.from({ length: classCount }, () => new Uint8Array(imageSize.height * imageSize.width))
  }
  return thresholdToImageMasks(maps, mapSize, imageSize, profile).map((m) => m.mask)
}

export type ReviewedMask<H, M> =
  | { readonly classId: number; readonly origin: 'human'; readonly mask: H }
  | { readonly classId: number; readonly origin: 'model'; readonly mask: M }

/**
 * Per class (in `classIds` order, matching `model`): the human mask where there is one, else the
 * model's. Generic in the mask's form: the screen holds pixels, the store holds RLE.
 */
export function pickReviewedMasks<H, M>(classIds: readonly number[], model: readonly M[], human: ReadonlyMap<number, H>): ReviewedMask<H, M>[] {
  return classIds.map((classId, i) => (human.has(classId) ? { classId, origin: 'human', mask: human.get(classId)! } : { classId, origin: 'model', mask: model[i] }))
}
