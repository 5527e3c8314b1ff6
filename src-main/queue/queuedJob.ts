// A job as the queue holds it: its snapshot (what the store and the screens see) and the requests
// made of it while it runs.
import type { ImageRecord, RunRecord, Store } from '../store/index.ts'
import type { InferenceClient, LoadedInfo } from '../worker/index.ts'
import type { JobSettings, JobSnapshot, JobState } from './jobs.ts'

export interface QueuedJob {
  snapshot: JobSnapshot
  isPauseRequested: boolean
  isCancelRequested: boolean
  resume: (() => void) | null
  /**
   * A watch job's loaded state, whether a slice of it is already queued, and whether a slice has
   * gone through the whole folder since the job was loaded (then only new files wait).
   */
  watch: { loaded: { run: RunRecord; info: LoadedInfo } | null; isSliceQueued: boolean; hasCaughtUp: boolean } | null
}

/** What a job's runner needs of the queue that runs it. */
export interface JobHost {
  readonly store: Store
  readonly isShuttingDown: () => boolean
  readonly startInference: (settings: JobSettings) => Promise<{ client: InferenceClient; info: LoadedInfo }>
  readonly openRun: (job: QueuedJob, sourceId: number, info: LoadedInfo) => RunRecord
  readonly inspect: (job: QueuedJob, client: InferenceClient, info: LoadedInfo, run: RunRecord, todo: readonly ImageRecord[], start: { done: number; total: number; errors: number }) => Promise<void>
  readonly update: (job: QueuedJob, change: Partial<JobSnapshot>) => void
  readonly finish: (job: QueuedJob, state: JobState, run: RunRecord | null, message?: string | null) => void
  readonly notifyArrival: (id: number) => void
  /** Records a run's status unless the database cannot take it (the job's state says it then). */
  readonly trySetRunStatus: (runId: number, status: 'done' | 'failed' | 'cancelled' | 'paused') => void
}
