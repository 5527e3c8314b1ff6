// Named threshold profiles: a reviewer's choice of gate and per-class thresholds, applied to the
// stored probability maps of a run without re-running any model.
import { isGatedIn, type PostprocessProfile } from './postprocess.ts'

export interface ThresholdProfile extends PostprocessProfile {
  readonly name: string
  /** The classifier gate (p >= gate is segmented); null when the model set has no classifier. */
  readonly gate: number | null
  /** The stored version this profile is (1, 2, … per name); absent for a run's own settings. */
  readonly version?: number
}

/** The profile a run was made with: its own post-processing settings and gate. */
export function runDefaultProfile(run: { readonly postprocess: unknown; readonly gateThreshold: number | null }): ThresholdProfile {
  const post = run.postprocess as { upper: number[]; lower: number[]; minArea: number[] }
  return { name: 'run defaults', gate: run.gateThreshold, upper: post.upper, lower: post.lower, minAreaModelPx: post.minArea }
}

/**
 * Whether an image is segmented under a profile. A gate lowered below what the run used cannot
 * bring back maps that were never computed: such an image needs stage 2 forced (a re-run).
 */
export function isSegmentedUnder(profile: ThresholdProfile, gateProbability: number | null): boolean {
  return gateProbability === null || profile.gate === null || isGatedIn(gateProbability, profile.gate)
}
