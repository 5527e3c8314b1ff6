// The masks a review stands on, per class: a human revision where the latest revision is human
// (it no longer follows the sliders), else the model's masks under a threshold profile: those the
// run stored when the profile is the run's own (the same rule made them), else re-derived from
// the stored probability maps — the same function the screen uses.
import { thresholdToImageMasks } from '../../src-shared/postprocess.ts'
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
  const run = store.runs.get(runId)!
  const modelRles = canReuseStored(run, prediction, profile)
    ? storedModelMasks(store, runId, imageId, classIds)
    : modelMasksUnder(store, prediction.id, prediction.gateProbability, { height: image.height!, width: image.width! }, profile)
  return classIds.map((classId, i) =>
    human.has(classId) ? { classId, rle: human.get(classId)!, origin: 'human' } : { classId, rle: modelRles?.[i] ?? '', origin: 'model' },
  )
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
  return modelMasksUnder(store, prediction.id, prediction.gateProbability, { height: image.height!, width: image.width! }, profile)
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
