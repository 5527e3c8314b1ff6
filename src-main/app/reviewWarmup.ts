// Review's uncertainty order needs a margin per image. A library migrated or filled without them
// would make the first Review open compute them all at once (half a minute at a million images).
// The host computes them ahead instead, for the run the Library shows of each source, a small
// slice at a time between its own work, so a call waits for one slice at most.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { ReviewService } from '../review/index.ts'
import type { Store } from '../store/index.ts'

/** Margins per slice: a few milliseconds of work. */
const SLICE_ROWS = 100

export interface ReviewWarmup {
  /** Resolves when every margin is computed, or the warm-up was stopped. */
  readonly done: Promise<void>
  stop(): void
}

export function warmReview(store: Store, sliceRows = SLICE_ROWS): ReviewWarmup {
  const review = new ReviewService(store)
  let isStopped = false
  const work = async () => {
    await nextTurn()
    for (const source of store.isOpen ? store.sources.list() : []) {
      const runId = store.imageTable.latestRunId(source.id)
      if (runId === undefined) continue
      while (!isStopped && store.isOpen && review.prepareMargins(runId, sliceRows) === sliceRows) await nextTurn()
    }
  }
  // A library that cannot take writes (read-only, full) keeps computing margins at the first window instead.
  const done = work().catch(() => undefined)
  return { done, stop: () => void (isStopped = true) }
}
