// The masks a coil's defects come from, per image: exactly reviewedMasks (a human revision where the
// latest revision is human, else the model's mask under the run's profile). Under the run's own
// settings those model masks are the ones the run stored, so they are read instead of re-derived
// from the probability maps — the same masks, about a hundred times cheaper, which is what lets a
// 400-image coil be evaluated in seconds.
import { runDefaultProfile, type ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import { reviewedMasks, type ReviewedClassMask } from '../review/reviewedMasks.ts'
import type { Store } from '../store/index.ts'

/** Whether `profile` thresholds exactly as the run did (name aside). */
export function isRunOwnProfile(store: Store, runId: number, profile: ThresholdProfile): boolean {
  const own = runDefaultProfile(store.runs.get(runId)!)
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i])
  return own.gate === profile.gate && same(own.upper, profile.upper) && same(own.lower, profile.lower) && same(own.minAreaModelPx, profile.minAreaModelPx)
}

export function coilImageMasks(store: Store, runId: number, imageId: number, profile: ThresholdProfile, isRunOwn: boolean): ReviewedClassMask[] {
  if (!isRunOwn) return reviewedMasks(store, runId, imageId, profile)
  return store.masks.fromRun(runId, imageId).map(({ classId, rle }) => {
    const current = store.masks.current(imageId, classId)
    return current?.origin === 'human' ? { classId, rle: current.rle, origin: 'human' } : { classId, rle, origin: 'model' }
  })
}
