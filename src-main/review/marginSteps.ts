// How many margins the background computes per committed step. A step holds the library's write
// lock, so its length is what a host write may wait. Each step's cost is mostly the margin index's
// pages it dirties (its rows land all over the index), which a larger step shares among more rows:
// a step is sized to a budget of lock time, longer while no one else writes, short once someone does.

/** Lock time of a step while other connections write (a host write waits at most about this). */
export const BUSY_STEP_MS = 25
/** Lock time of a step while no other connection has written since the previous one. */
export const IDLE_STEP_MS = 75
export const FIRST_STEP_ROWS = 2000
const MIN_STEP_ROWS = 200
const MAX_STEP_ROWS = 50_000

/** The next step's rows: this step's scaled to the budget (at most doubled, never below or above the bounds). */
export function nextStepRows(rows: number, tookMs: number, budgetMs: number): number {
  const scaled = tookMs > 0 ? Math.floor((rows * budgetMs) / tookMs) : rows * 2
  return Math.max(MIN_STEP_ROWS, Math.min(MAX_STEP_ROWS, rows * 2, scaled))
}
