// One slice of a watch job: the backlog of its source as it stands (in arrival order), inspected
// on the queue's inference process, after which the process is yielded to the jobs queued behind.
// A slice that leaves files waiting queues the next one.
import { isFinishedState } from '../../src-shared/apiTypes.ts'
import type { ImageRecord, Store } from '../store/index.ts'
import type { JobHost, QueuedJob } from './queuedJob.ts'

export async function runWatchSlice(job: QueuedJob, host: JobHost): Promise<void> {
  const watch = job.watch!
  watch.isSliceQueued = false
  if (host.isShuttingDown() || isFinishedState(job.snapshot.state) || job.isPauseRequested) return
  if (job.isCancelRequested) return host.finish(job, 'cancelled', watch.loaded?.run ?? null)
  try {
    const { client, info } = await host.startInference(job.snapshot.settings)
    const source = host.store.sources.ensure(job.snapshot.settings.folder)
    // The first slice catches up with the whole folder; after it, only new and replaced files wait.
    const isCatchingUp = !watch.hasCaughtUp
    watch.loaded ??= { run: host.openRun(job, source.id, info), info }
    const { run } = watch.loaded
    if (job.snapshot.sourceId !== source.id) host.update(job, { sourceId: source.id })
    const todo = waiting(host.store, source.id, run.id, isCatchingUp).sort(byArrival)
    const { done, errors } = job.snapshot.progress
    await host.inspect(job, client, info, run, todo, { done, total: done + todo.length, errors })
    if (job.isCancelRequested) return host.finish(job, 'cancelled', run)
    if (host.isShuttingDown()) return
    if (job.isPauseRequested) {
      if (!watch.isSliceQueued) host.update(job, { state: 'paused' })
      return
    }
    watch.hasCaughtUp = true
    if (waiting(host.store, source.id, run.id, false).length > 0) host.notifyArrival(job.snapshot.id)
  } catch (error) {
    return host.finish(job, 'failed', watch.loaded?.run ?? null, (error as Error).message)
  }
}

/**
 * The images without a result in the run: all of the source's when catching up, else the pending
 * ones (a slice's cost follows the backlog, not the source). Files that failed wait until they
 * change, so a broken file is not retried on every slice.
 */
function waiting(store: Store, sourceId: number, runId: number, isCatchingUp: boolean): ImageRecord[] {
  if (!isCatchingUp) return store.images.listPendingUnpredicted(sourceId, runId)
  return store.images.listUnpredicted(sourceId, runId).filter((image) => image.status !== 'failed')
}

/** Arrival order: a finished file's mtime is when its writer closed it. */
function byArrival(a: ImageRecord, b: ImageRecord): number {
  return a.mtimeMs - b.mtimeMs || a.id - b.id
}
