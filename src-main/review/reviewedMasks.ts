// The masks a review stands on, per class, read from the store: a human revision where the latest
// revision is human (it no longer follows the sliders), else the model's masks under a threshold
// profile — those the run stored when the profile is the run's own (the same rule made them), else
// re-derived from the stored probability maps. Composed by src-shared/reviewedMasks.ts, the
// functions the screen uses too.
import { modelMasksUnder, pickReviewedMasks } from '../../src-shared/reviewedMasks.ts'
import type { Size } from '../../src-shared/postprocess.ts'
import { encodeRle } from '../../src-shared/rle.ts'
import { isSegmentedUnder, runDefaultProfile, type ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { PredictionRecord, RunRecord, Store } from '../store/index.ts'

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
  const model =
    human.size === classIds.length
      ? classIds.map(() => '') // every class edited: the model's masks are not shown
      : canReuseStored(store.runs.get(runId)!, prediction, profile)
        ? storedModelMasks(store, runId, imageId, classIds)
        : (derivedRles(store, prediction, imageSize, classIds.length, profile) ?? classIds.map(() => ''))
  return pickReviewedMasks(classIds, model, human).map((m) => ({ classId: m.classId, rle: m.mask, origin: m.origin }))
}

/**
 * The stored model masks equal the re-derived ones under the run's own profile, when the gate
 * decided as the run did (a gate override in a bench run segments images the profile's gate
 * would not).
 */
function canReuseStored(run: RunRecord, prediction: PredictionRecord, profile: ThresholdProfile): boolean {
  const own = runDefaultProfile(run)
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, k) => v === b[k])
  return (
    profile.gate === own.gate &&
    same(profile.upper, own.upper) &&
    same(profile.lower, own.lower) &&
    same(profile.minAreaModelPx, own.minAreaModelPx) &&
    prediction.gatePassed === isSegmentedUnder(profile, prediction.gateProbability)
  )
}

function storedModelMasks(store: Store, runId: number, imageId: number, classIds: readonly number[]): string[] {
  const stored = new Map(store.masks.fromRun(runId, imageId).map((m) => [m.classId, m.rle]))
  return classIds.map((classId) => stored.get(classId) ?? '')
}

/** Model masks re-derived from the stored maps under a profile (null when not segmented); never the stored masks. */
export function derivedModelMasks(store: Store, runId: number, imageId: number, profile: ThresholdProfile): string[] | null {
  const image = store.images.get(imageId)!
  const prediction = store.predictions.get(runId, imageId)!
  return derivedRles(store, prediction, { height: image.height!, width: image.width! }, prediction.classStats.length, profile)
}

/** Null when the image is not segmented under the profile, or has no maps (gated out when it ran). */
function derivedRles(store: Store, prediction: PredictionRecord, imageSize: Size, classCount: number, profile: ThresholdProfile): string[] | null {
  // Maps are read only when the model's masks can be shown at all.
  const maps = isSegmentedUnder(profile, prediction.gateProbability) ? store.predictions.readProbMaps(prediction.id) : undefined
  if (!maps) return null
  return modelMasksUnder(maps.mapsU8, maps, imageSize, classCount, profile, prediction.gateProbability).map((mask) => encodeRle(mask, imageSize.height, imageSize.width))
}
