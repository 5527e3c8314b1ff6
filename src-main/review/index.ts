// Public face of review/: threshold profiles, the masks a review stands on, reviewer actions, and
// metrics against the source's truth that follow the thresholds.
export { applyProfile, listProfiles, profileForRun, resolveProfileRef, saveProfile, toThresholdProfile } from './profiles.ts'
export { derivedModelMasks, reviewedMasks, type ReviewedClassMask } from './reviewedMasks.ts'
export { EditConflictError, revertToModel, ReviewInputError, saveMaskEdit, setReview, type MaskEditInput } from './reviewActions.ts'
export { buildRunCounts, optimiseRun, scoreRun, type RunCounts } from './runMetrics.ts'
export { sourceTruth, truthLocator, TRUTH_FILE } from './truth.ts'
export { ReviewService } from './reviewService.ts'
export { INLINE_ROWS, marginProfile, prepareMargins, runsToPrepare, settleOrder } from './reviewOrder.ts'
