// How close an image's decisions sit to their thresholds: the smallest margin between a
// probability and the threshold that decides it (the gate; each class's max against `upper`),
// reduced by how much the ensemble members disagreed. Small margins are reviewed first.
import { isSegmentedUnder, type ThresholdProfile } from './thresholdProfile.ts'

export interface DecisionInputs {
  readonly gateProbability: number | null
  readonly classStats: readonly { readonly maxProbability: number; readonly disagreement: number | null }[]
}

export function decisionMargin(inputs: DecisionInputs, profile: ThresholdProfile): number {
  let margin = inputs.gateProbability !== null && profile.gate !== null ? Math.abs(inputs.gateProbability - profile.gate) : 1
  if (isSegmentedUnder(profile, inputs.gateProbability)) {
    inputs.classStats.forEach((stat, c) => {
      margin = Math.min(margin, Math.abs(stat.maxProbability - profile.upper[c]) - (stat.disagreement ?? 0))
    })
  }
  return margin
}
