// Jobs as the renderer sees them: the queue's snapshots narrowed to the contract, and its events
// forwarded to the app's event hub. A job runs a source with a model set the catalog has validated.
import { isFinishedState, type JobView, type ProviderChoice } from '../../src-shared/apiTypes.ts'
import type { JobQueue, JobSnapshot } from '../queue/index.ts'
import type { Store } from '../store/index.ts'
import type { EventHub } from './events.ts'
import { UserError } from './sources.ts'

export interface StartJob {
  readonly sourceId: number
  readonly modelSetDir: string
  readonly provider: ProviderChoice
}

export class Jobs {
  readonly #queue: JobQueue
  readonly #store: Store

  constructor(queue: JobQueue, store: Store, events: EventHub) {
    this.#queue = queue
    this.#store = store
    queue.onJobProgress((job) => events.emit('jobProgress', this.#view(job)))
    queue.onQueueChanged((jobs) => events.emit('queueChanged', jobs.map((job) => this.#view(job))))
    queue.onImageFinished((e) =>
      events.emit('imageFinished', {
        jobId: e.jobId,
        sourceId: this.#sourceId(queue.get(e.jobId)!),
        imageId: e.imageId,
        ok: e.ok,
        error: e.error,
        warning: e.warning,
        gatedIn: e.gatedIn,
        classAreasPx: e.classAreasPx,
      }),
    )
  }

  /** `modelSetDir` must already be checked (a valid set of the catalog). */
  start({ sourceId, modelSetDir, provider }: StartJob): JobView {
    const source = this.#store.sources.get(sourceId)
    if (!source) throw new UserError(`no source ${sourceId}`)
    const active = this.#queue.list().find((j) => j.settings.folder === source.folderPath && !isFinishedState(j.state) && j.state !== 'interrupted')
    if (active) throw new UserError(`${source.folderPath} is already in the queue (job ${active.id})`)
    return this.#view(this.#queue.enqueue({ folder: source.folderPath, modelsDir: modelSetDir, provider }))
  }

  pause(jobId: number): JobView {
    this.#queue.pause(jobId)
    return this.#get(jobId)
  }

  resume(jobId: number): JobView {
    this.#queue.resume(jobId)
    return this.#get(jobId)
  }

  cancel(jobId: number): JobView {
    this.#queue.cancel(jobId)
    return this.#get(jobId)
  }

  list(): JobView[] {
    return this.#queue.list().map((job) => this.#view(job))
  }

  #get(jobId: number): JobView {
    const job = this.#queue.get(jobId)
    if (!job) throw new UserError(`no job ${jobId}`)
    return this.#view(job)
  }

  /** The scan reports the source; before it, the folder names it (sources are unique by folder). */
  #sourceId(job: JobSnapshot): number | null {
    return job.sourceId ?? this.#store.sources.findByPath(job.settings.folder)?.id ?? null
  }

  #view(job: JobSnapshot): JobView {
    return {
      id: job.id,
      state: job.state,
      sourceId: this.#sourceId(job),
      folder: job.settings.folder,
      modelSetDir: job.settings.modelsDir,
      provider: job.settings.provider,
      runId: job.runId,
      providerUsed: job.provider?.used ?? null,
      providerFallbackReason: job.provider?.fallbackReason ?? null,
      progress: job.progress,
      scan: job.scan && { failed: job.scan.failed.length, skipped: job.scan.skipped.length, duplicates: job.scan.duplicates.length },
      message: job.message,
    }
  }
}
