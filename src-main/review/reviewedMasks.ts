// The masks a review stands on, per class: a human revision where the latest revision is human
// (it no longer follows the sliders), else the model's masks re-derived from the stored
// probability maps under a threshold profile — the same function the screen uses.
import { thresholdToImageMasks } from '../../src-shared/postprocess.ts'
import { encodeRle } from '../../src-shared/rle.ts'
import { isSegmentedUnder, type ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { Store } from '../store/index.ts'

export interface ReviewedClassMask {
  readonly classId: number
  /** Kaggle RLE at image size; '' when empty. */
  readonly rle: string
  readonly origin: 'human' | 'model'
}

export function reviewedMasks(store: Store, runId: number, imageId: number, profile: ThresholdProfile): ReviewedClassMask[] {
  const image = store.images.get(imageId)
  const prediction = store.predictions.get(runId, imageId)
  if (!image || !prediction) throw new Error(`image ${imageId} has no result in run ${runId}`)
  const classIds = prediction.classStats.map((s) => s.classId)
  const human = new Map(classIds.flatMap((classId) => {
    const current = store.masks.current(imageId, classId)
    return current?.origin === 'human' ? [[classId, current.rle] as const] : []
  }))
  const modelRles = modelMasksUnder(store, prediction.id, prediction.gateProbability, { height: image.height!, width: image.width! }, profile)
  return classIds.map((classId, i) =>
    human.has(classId) ? { classId, rle: human.get(classId)!, origin: 'human' } : { classId, rle: modelRles?.[i] ?? '', origin: 'model' },
  )
}

/** Model masks of every class under a profile, or null when the image is not segmented. */
function modelMasksUnder(
  store: Store,
  predictionId: number,
  gateProbability: number | null,
  imageSize: { height: number; width: number },
  profile: ThresholdProfile,
): string[] | null {
  if (!isSegmentedUnder(profile, gateProbability)) return null
  const maps = store.predictions.readProbMaps(predictionId)
  if (!maps) return null // gated out when it ran: no maps to threshold
  return thresholdToImageMasks(maps.mapsU8, maps, imageSize, profile).map(({ mask, areaPx }) =>
    areaPx === 0 ? '' : encodeRle(mask, imageSize.height, imageSize.width),
  )
}
