// Review's uncertainty order of a run: which margins a window reads, and the work that brings them
// up to date under the profile in force. Small amounts of work (a job's new results, a short run)
// are done before answering, so the order stays exact; a whole large run (a migrated library, a
// profile just applied) is left to the background, and the window says what it holds meanwhile.
import type { ReviewOrderPreparing } from '../../src-shared/reviewTypes.ts'
import type { MarginProfile, MarginProgress, Store } from '../store/index.ts'
import { profileForRun } from './profiles.ts'

/** Margins computed before answering a window: about 10 ms of work. */
export const INLINE_ROWS = 5000
const NUDGE_ROWS = 100

/** The profile in force for the run, as far as the uncertainty rule reads it. */
export function marginProfile(store: Store, runId: number): MarginProfile {
  const { gate, upper } = profileForRun(store, runId)
  return { gate, upper }
}

/**
 * Computes at most `maxRows` more of the run's margins under the profile in force (one committed
 * step); returns how many rows it wrote or deleted, 0 when the run's order is complete and tidy.
 */
export function prepareMargins(store: Store, runId: number, maxRows: number): number {
  return store.reviewQueue.prepareMargins(runId, marginProfile(store, runId), maxRows)
}

/** Brings the order up to date when that is little work (or `whole`); returns where it stands then. */
export function settleOrder(store: Store, runId: number, inlineRows: number, whole = false): MarginProgress {
  const profile = marginProfile(store, runId)
  let progress = store.reviewQueue.progress(runId, profile)
  while (!progress.isComplete && (whole || progress.pending <= inlineRows)) {
    if (store.reviewQueue.prepareMargins(runId, profile, Math.max(inlineRows, 1)) === 0) break
    progress = store.reviewQueue.progress(runId, profile)
  }
  // Too much to do now: one small step records the new profile's generation, which the background follows.
  if (!progress.isComplete && !whole && progress.fraction === 0) {
    store.reviewQueue.prepareMargins(runId, profile, NUDGE_ROWS)
    progress = store.reviewQueue.progress(runId, profile)
  }
  return progress
}

/** settleOrder, or where the order stands when the library cannot be written now (another writer holds it). */
export function settleOrderIfWritable(store: Store, runId: number, inlineRows: number): MarginProgress {
  try {
    return settleOrder(store, runId, inlineRows)
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return store.reviewQueue.progress(runId, marginProfile(store, runId))
    throw error
  }
}

/** The runs whose margins the background keeps up to date: each source's latest, and any Review opened. */
export function runsToPrepare(store: Store): number[] {
  const latest = store.sources.list().flatMap((source) => store.imageTable.latestRunId(source.id) ?? [])
  return [...new Set([...latest, ...store.reviewQueue.runsWithMargins()])]
}

/** What a window says about the order it serves; null when it is the exact order. */
export function preparingNote(progress: MarginProgress): ReviewOrderPreparing | null {
  if (progress.isComplete) return null
  const serving = progress.served === 'none' ? 'file' : progress.served === 'previous' ? 'previous' : 'partial'
  return { serving, percent: Math.min(99, Math.floor(progress.fraction * 100)) }
}
