// How many items Review's queue of a run holds, without counting rows at every window. Every
// order but the uncertainty one lists each prediction of the run once: the run's count, kept by
// triggers (run_prediction_counts). The uncertainty order lists the rows of the served generation
// of margins. Every prediction up to the generation's mark has its row (a replaced one keeps its
// row and is measured again), and predictions are never deleted: once the mark reaches the run's
// last prediction, the rows are exactly the run's predictions. Short of that (a generation topped
// up, or an earlier profile's served while a new one is computed) the rows are counted once for
// each mark: they change only when the mark moves.
import type { Database } from 'better-sqlite3'
import type { ReviewQueueOrder } from '../../../src-shared/reviewTypes.ts'
import { StampedCache } from './seekTable.ts'

/** The served generation of a run's margins, as far as its row count depends on it. */
export interface ServedMargins {
  readonly generation: number
  readonly through_prediction_id: number
}

export function createReviewQueueTotals(db: Database): (runId: number, order: ReviewQueueOrder, served: ServedMargins | undefined) => number {
  const predictions = db.prepare<[number], number>('SELECT predictions FROM run_prediction_counts WHERE run_id = ?').pluck()
  const lastPrediction = db.prepare<[number], number | null>('SELECT max(id) FROM predictions WHERE run_id = ?').pluck()
  const countRows = db.prepare<[number, number], number>('SELECT count(*) FROM review_margins WHERE run_id = ? AND generation = ?').pluck()
  const counted = new StampedCache<number>()

  return (runId, order, served) => {
    if (order !== 'uncertainty') return predictions.get(runId) ?? 0
    if (!served) return 0
    if (served.through_prediction_id >= (lastPrediction.get(runId) ?? 0)) return predictions.get(runId) ?? 0
    const key = `${runId}:${served.generation}`
    const stamp = String(served.through_prediction_id)
    const known = counted.get(key, stamp)
    if (known !== undefined) return known
    const rows = countRows.get(runId, served.generation)!
    counted.set(key, stamp, rows)
    return rows
  }
}
