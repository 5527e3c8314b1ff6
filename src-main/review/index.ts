// Public face of review/: threshold profiles and the masks a review stands on.
export { applyProfile, listProfiles, profileForRun, saveProfile } from './profiles.ts'
export { reviewedMasks, type ReviewedClassMask } from './reviewedMasks.ts'
