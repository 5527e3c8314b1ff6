// Public face of queue/: jobs over folders, the scan that feeds them, and their records.
export { JobQueue, type JobQueueOptions } from './jobQueue.ts'
export { scanSource, type ScanResult } from './scanSource.ts'
export { isOwnerGone, isPidAlive, STALE_MS } from './jobOwner.ts'
export { JOB_STATES, type ImageFinished, type JobProgress, type JobSettings, type JobSnapshot, type JobState } from './jobs.ts'
