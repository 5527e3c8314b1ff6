// Why a coil decision no longer answers what the coil shows now: a mask edited after it, a newer run
// of the coil's images, or the threshold profile of the run changed after it. Derived each time from
// the facts; the decision itself is never rewritten.

export type StaleReason = 'masks edited since' | 'a newer run since' | 'threshold profile changed since'

export interface DecisionFacts {
  readonly decidedAtMs: number
  /** The run the decision answered. */
  readonly decisionRunId: number
  /** The run the coil's defects come from now (its newest with results), or null. */
  readonly currentRunId: number | null
  /** Newest mask edit on any image of the coil, or null. */
  readonly lastEditAtMs: number | null
  /** When the threshold profile in force for the decision's run last changed, or null if never. */
  readonly profileChangedAtMs: number | null
}

export function staleReasons(f: DecisionFacts): StaleReason[] {
  const reasons: StaleReason[] = []
  if (f.lastEditAtMs !== null && f.lastEditAtMs > f.decidedAtMs) reasons.push('masks edited since')
  if (f.currentRunId !== null && f.currentRunId !== f.decisionRunId) reasons.push('a newer run since')
  if (f.profileChangedAtMs !== null && f.profileChangedAtMs > f.decidedAtMs) reasons.push('threshold profile changed since')
  return reasons
}
