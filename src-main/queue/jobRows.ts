// The queue's side of jobs as rows: a snapshot written to its row, a row read back as a snapshot
// (another process's job, or one interrupted), and the recovery done when a library is opened.
import type { JobRecord, JobRowState, JsonObject, Store } from '../store/index.ts'
import { isOwnerGone, isPidAlive } from './jobOwner.ts'
import type { JobSettings, JobSnapshot } from './jobs.ts'
import { hostname } from 'node:os'

export function toSnapshot(row: JobRecord): JobSnapshot {
  return {
    id: row.id,
    kind: row.kind,
    settings: row.settings as unknown as JobSettings,
    state: row.state,
    sourceId: row.sourceId,
    runId: row.runId,
    scan: null,
    provider: null,
    message: row.message,
    progress: { done: row.done, total: row.total, errors: row.errors, imagesPerSecond: 0, etaSeconds: null },
  }
}

/** Job settings as stored: plain JSON (profiles and overrides are plain data). */
export function settingsJson(settings: JobSettings): JsonObject {
  return JSON.parse(JSON.stringify(settings)) as JsonObject
}

/** Writes what a snapshot says into its row. */
export function saveSnapshot(store: Store, job: JobSnapshot): void {
  const { done, total, errors } = job.progress
  store.jobs.update(job.id, { state: job.state as JobRowState, sourceId: job.sourceId, runId: job.runId, progress: { done, total, errors }, message: job.message })
}

/**
 * Marks every active job whose process is gone as interrupted, and sets runs that no live job
 * holds back to paused, so nothing stays running forever. Returns the ids marked.
 */
export function recoverInterrupted(store: Store, nowMs: number = Date.now()): number[] {
  const host = hostname()
  const gone = store.jobs.listActive().filter((job) => isOwnerGone(job, nowMs, host, isPidAlive))
  return store.transaction(() => {
    const ids = store.jobs.markInterrupted(gone, 'interrupted: its process ended before it finished')
    const heldRuns = new Set(store.jobs.listActive().map((job) => job.runId))
    for (const run of store.runs.list()) {
      if (run.status === 'running' && !heldRuns.has(run.id)) store.runs.setStatus(run.id, 'paused')
    }
    return ids
  })
}
