// Whether a watched source keeps up: rates over a window and the backlog, as the Library and
// `coilscope watch` show them. Pure: counts in, figures out.

export interface WatchCountsInput {
  readonly backlog: number
  readonly arrivedInWindow: number
  readonly inspectedInWindow: number
  readonly lastArrivalMs: number | null
}

export interface WatchHealth {
  readonly backlog: number
  readonly arrivalsPerMinute: number
  readonly inspectionsPerMinute: number
  /** Null before the first image arrived. */
  readonly secondsSinceLastImage: number | null
  /** Seconds to clear the backlog at the current inspection rate (null: nothing inspected lately). */
  readonly backlogSeconds: number | null
  readonly isFallingBehind: boolean
}

/** A backlog that takes longer than this to clear is behind, whatever the rates say. */
export const BEHIND_AFTER_SECONDS = 60
/** Arrivals this much faster than inspections, with images waiting, are behind too. */
const BEHIND_RATE_RATIO = 1.1
const MIN_BACKLOG = 3

export function watchHealth(counts: WatchCountsInput, windowMs: number, nowMs: number): WatchHealth {
  const minutes = windowMs / 60_000
  const arrivalsPerMinute = counts.arrivedInWindow / minutes
  const inspectionsPerMinute = counts.inspectedInWindow / minutes
  const backlogSeconds = inspectionsPerMinute > 0 ? (counts.backlog / inspectionsPerMinute) * 60 : counts.backlog === 0 ? 0 : null
  const isSlowToClear = backlogSeconds === null || backlogSeconds > BEHIND_AFTER_SECONDS
  const isOutpaced = arrivalsPerMinute > inspectionsPerMinute * BEHIND_RATE_RATIO
  return {
    backlog: counts.backlog,
    arrivalsPerMinute,
    inspectionsPerMinute,
    secondsSinceLastImage: counts.lastArrivalMs === null ? null : Math.max(0, (nowMs - counts.lastArrivalMs) / 1000),
    backlogSeconds,
    isFallingBehind: counts.backlog >= MIN_BACKLOG && (isSlowToClear || isOutpaced),
  }
}
