// A watched source: files that complete in the folder become images in the store (with their
// arrival time) and wake the source's watch job, which inspects them in arrival order with the
// source's settings. A file removed before it was inspected fails with that reason (that file
// only); a file replaced by new content is inspected again; files that are not images are noted
// as the folder scan notes them. Starting a watch first catches up with what is not yet inspected.
import { dirname, join } from 'node:path'
import { classifyFile } from '../pipeline/index.ts'
import type { JobQueue, JobSettings, JobSnapshot } from '../queue/index.ts'
import type { Store } from '../store/index.ts'
import { watchCompletedFiles, type CompletedFiles } from './completedFiles.ts'

export interface SourceWatchOptions {
  readonly stableMs?: number
  /** A problem with the folder itself (gone, unreadable); the watch goes on where it can. */
  readonly onError?: (error: Error) => void
  /** A file that will not be inspected: not an image after all, or removed before its turn. */
  readonly onRejected?: (relativePath: string, reason: string) => void
}

export class SourceWatch {
  readonly #store: Store
  readonly #queue: JobQueue
  readonly #settings: JobSettings
  readonly #options: SourceWatchOptions
  #files: CompletedFiles | null = null
  #startedAtMs = 0
  #job: JobSnapshot | null = null
  /** File events are handled one at a time, in the order they came. */
  #chain: Promise<void> = Promise.resolve()

  constructor(store: Store, queue: JobQueue, settings: JobSettings, options: SourceWatchOptions = {}) {
    this.#store = store
    this.#queue = queue
    this.#settings = settings
    this.#options = options
  }

  get jobId(): number | null {
    return this.#job?.id ?? null
  }

  /** When this watch started (rates are measured since then, up to their window). */
  get startedAtMs(): number {
    return this.#startedAtMs
  }

  get sourceId(): number {
    return this.#store.sources.ensure(this.#settings.folder).id
  }

  /** Starts (or resumes) the watch job and the watcher; resolves when the folder has been listed. */
  async start(): Promise<JobSnapshot> {
    this.#store.sources.ensure(this.#settings.folder)
    this.#startedAtMs = Date.now()
    this.#job = this.#queue.watch(this.#settings)
    this.#files = watchCompletedFiles(this.#settings.folder, {
      stableMs: this.#options.stableMs,
      // A library kept inside its source folder: its exports are not images of the source.
      exclude: this.#store.path === ':memory:' ? [] : [join(dirname(this.#store.path), 'exports')],
      onComplete: (relativePath, path) => this.#enqueue(() => this.#arrived(relativePath, path)),
      onRemoved: (relativePath) => this.#enqueue(() => this.#removed(relativePath)),
      onError: (error) => this.#options.onError?.(error),
    })
    await this.#files.ready
    return this.#job
  }

  /** Stops watching; the job stops after the image in hand. */
  async stop(): Promise<void> {
    await this.#files?.close()
    this.#files = null
    await this.#chain
    if (this.#job) this.#queue.cancel(this.#job.id)
  }

  /** Stops watching without ending the job (the process is going down; the job resumes next time). */
  async detach(): Promise<void> {
    await this.#files?.close()
    this.#files = null
    await this.#chain
  }

  #enqueue(work: () => Promise<void> | void): void {
    this.#chain = this.#chain.then(work).catch((error: unknown) => this.#options.onError?.(error as Error))
  }

  async #arrived(relativePath: string, path: string): Promise<void> {
    const entry = await classifyFile(path, relativePath)
    if (entry.kind === 'skipped') return
    const sourceId = this.sourceId
    const isNew = this.#store.transaction(() => {
      const byteSize = entry.kind === 'image' ? entry.byteSize : 0
      const mtimeMs = entry.kind === 'image' ? entry.mtimeMs : 0
      const { image, change } = this.#store.images.upsert({ sourceId, relativePath, byteSize, mtimeMs, sha256: null })
      if (change === 'unchanged') return false
      this.#store.watch.recordArrival(sourceId, image.id)
      if (entry.kind === 'error') this.#store.images.markFailed(image.id, entry.reason)
      return entry.kind === 'image'
    })
    if (entry.kind === 'error') this.#options.onRejected?.(relativePath, entry.reason)
    if (isNew && this.#job) this.#queue.notifyArrival(this.#job.id)
  }

  #removed(relativePath: string): void {
    const image = this.#store.images.findByPath(this.sourceId, relativePath)
    // Inspected images keep their results; one still waiting leaves the backlog with the reason.
    if (!image || image.status !== 'pending') return
    const reason = 'the file was removed before it was inspected'
    this.#store.images.markFailed(image.id, reason)
    this.#options.onRejected?.(relativePath, reason)
  }
}
