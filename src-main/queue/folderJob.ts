// A folder job: scan the folder, then inspect each image without a result in the job's run. Pause
// waits after the image in hand and resumes with what is left; cancel finishes the job there.
import type { RunRecord } from '../store/index.ts'
import type { JobHost, QueuedJob } from './queuedJob.ts'
import { scanSource } from './scanSource.ts'

export async function runFolderJob(job: QueuedJob, host: JobHost): Promise<void> {
  if (host.isShuttingDown()) return
  if (job.isCancelRequested) return host.finish(job, 'cancelled', null)
  host.update(job, { state: 'running' })
  let run: RunRecord | null = null
  try {
    const scan = await scanSource(host.store, job.snapshot.settings.folder)
    const { client, info } = await host.startInference(job.snapshot.settings)
    run = host.openRun(job, scan.source.id, info)
    const only = job.snapshot.settings.only && new Set(job.snapshot.settings.only)
    const inspectable = new Set(scan.images.filter((image) => !only || only.has(image.relativePath)).map((image) => image.id))
    const { failed, skipped, duplicates, subfolders } = scan
    host.update(job, { sourceId: scan.source.id, scan: { failed, skipped, duplicates, subfolders } })
    for (;;) {
      const todo = host.store.images.listUnpredicted(scan.source.id, run.id).filter((image) => inspectable.has(image.id))
      const done = inspectable.size - todo.length
      // A job paused before it started (or while it scanned) pauses before its first image.
      if (!job.isPauseRequested) await host.inspect(job, client, info, run, todo, { done, total: inspectable.size, errors: scan.failed.length })
      if (host.isShuttingDown() && !job.isCancelRequested) return // close() leaves it interrupted
      if (job.isCancelRequested) return host.finish(job, 'cancelled', run)
      if (!job.isPauseRequested) return host.finish(job, 'done', run)
      host.trySetRunStatus(run.id, 'paused')
      host.update(job, { state: 'paused' })
      await new Promise<void>((resolve) => (job.resume = resolve))
      job.resume = null
      if (job.isCancelRequested) return host.finish(job, 'cancelled', run)
      if (host.isShuttingDown()) return
      host.store.runs.setStatus(run.id, 'running')
      host.update(job, { state: 'running' })
    }
  } catch (error) {
    return host.finish(job, 'failed', run, (error as Error).message)
  }
}
