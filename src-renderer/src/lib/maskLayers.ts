// The masks the viewer shows, per class: the model's, thresholded live from the stored maps (the
// same function export uses), or a human mask where the class was edited.
import { thresholdToImageMasks, type Size } from '../../../src-shared/postprocess.ts'
import type { ThresholdProfile } from '../../../src-shared/thresholdProfile.ts'
import { isSegmentedUnder } from '../../../src-shared/thresholdProfile.ts'

/** Model masks at image size under a profile; all empty when the image is not segmented. */
export function modelMasks(maps: Uint8Array | null, mapSize: Size | null, imageSize: Size, classCount: number, profile: ThresholdProfile, gateProbability: number | null): Uint8Array[] {
  if (!maps || !mapSize || !isSegmentedUnder(profile, gateProbability)) {
    return Array.from({ length: classCount }, () => new Uint8Array(imageSize.height * imageSize.width))
  }
  return thresholdToImageMasks(maps, mapSize, imageSize, profile).map((m) => m.mask)
}
