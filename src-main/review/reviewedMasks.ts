// The masks a review stands on, per class, read from the store: a human revision where the latest
// revision is human (it no longer follows the sliders), else the model's masks re-derived from the
// stored probability maps under a threshold profile — composed by src-shared/reviewedMasks.ts, the
// functions the screen uses too.
import { modelMasksUnder, pickReviewedMasks } from '../../src-shared/reviewedMasks.ts'
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
  const imageSize = { height: image.height!, width: image.width! }
  // Maps are read only when the model's masks can be shown at all (a gated-out image has none).
  const maps = human.size < classIds.length && isSegmentedUnder(profile, prediction.gateProbability) ? store.predictions.readProbMaps(prediction.id) : undefined
  const model = modelMasksUnder(maps?.mapsU8 ?? null, maps ?? null, imageSize, classIds.length, profile, prediction.gateProbability)
  return pickReviewedMasks(classIds, model, human).map((m) =>
    m.origin === 'human' ? { classId: m.classId, rle: m.mask, origin: 'human' } : { classId: m.classId, rle: encodeRle(m.mask, imageSize.height, imageSize.width), origin: 'model' },
  )
}
