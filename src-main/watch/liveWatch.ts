// Which process, if any, watches a folder now: an active watch job whose owner is alive. A folder
// is watched by one process at a time; a second one is refused rather than inspecting twice.
import { hostname } from 'node:os'
import { isOwnerGone, isPidAlive } from '../queue/index.ts'
import type { JobRecord, Store } from '../store/index.ts'

export function liveWatchOf(store: Store, folder: string, nowMs: number = Date.now()): JobRecord | undefined {
  return store.jobs.listActive().find((job) => job.kind === 'watch' && job.folderPath === folder && !isOwnerGone(job, nowMs, hostname(), isPidAlive))
}
