// The job queue: one job runs at a time on one inference process; every result is written by main
// in its own transaction as it arrives. Jobs are rows (jobRows.ts): each change of state and
// progress is written to the store, so a job whose process dies is seen as interrupted when the
// library is opened again, and resuming it does only what is left (its run is found by settings).
// Pause and cancel stop after the image in hand. A watch job is fed as files arrive, a slice at a
// time (watchSlice.ts).
import { isFinishedState } from '../../src-shared/apiTypes.ts'
import type { ImageRecord, JobOwner, RunRecord, Store } from '../store/index.ts'
import { forkWorker, type InferenceClient, type LoadedInfo, type WorkerPort } from '../worker/index.ts'
import { InferenceSlot } from './inferenceSlot.ts'
import { inspectImages } from './inspectImages.ts'
import { HEARTBEAT_MS, newOwner } from './jobOwner.ts'
import { Listeners, type Listener } from './listeners.ts'
import { recoverInterrupted, saveSnapshot, settingsJson, toSnapshot } from './jobRows.ts'
import type { ImageFinished, JobSettings, JobSnapshot, JobState } from './jobs.ts'
import { runFolderJob } from './folderJob.ts'
import { openRun } from './openRun.ts'
import type { JobHost, QueuedJob } from './queuedJob.ts'
import { runWatchSlice } from './watchSlice.ts'

/** Within the queue, a job is always a queued one. */
type Job = QueuedJob

export interface JobQueueOptions {
  readonly spawnWorker?: () => WorkerPort
}

/** How many finished jobs of other processes (and earlier sessions) list() shows. */
const LISTED_ROWS = 50

export class JobQueue {
  readonly #store: Store
  readonly #owner: JobOwner = newOwner()
  readonly #jobs: Job[] = []
  readonly #progressListeners = new Listeners<JobSnapshot>()
  readonly #queueListeners = new Listeners<readonly JobSnapshot[]>()
  readonly #imageListeners = new Listeners<ImageFinished>()
  readonly #heartbeat: NodeJS.Timeout
  readonly #inference: InferenceSlot
  #current: Job | null = null
  #pumping: Promise<void> = Promise.resolve()
  #isShuttingDown = false
  #isClosed = false
  readonly #host: JobHost
  /** Ids of the jobs found interrupted when this queue opened the library. */
  readonly interruptedAtOpen: readonly number[]

  constructor(store: Store, options: JobQueueOptions = {}) {
    this.#store = store
    this.#inference = new InferenceSlot(options.spawnWorker ?? forkWorker)
    this.interruptedAtOpen = tryWrite(() => recoverInterrupted(store)) ?? []
    this.#host = {
      store,
      isShuttingDown: () => this.#isShuttingDown,
      startInference: (settings) => this.#inference.start(settings),
      openRun: (job, sourceId, info) => this.#openRun(job, sourceId, info),
      inspect: (...args) => this.#inspect(...args),
      update: (job, change) => this.#update(job, change),
      finish: (job, state, run, message) => this.#finish(job, state, run, message),
      notifyArrival: (id) => this.notifyArrival(id),
      trySetRunStatus: (runId, status) => this.#trySetRunStatus(runId, status),
    }
    this.#heartbeat = setInterval(() => {
      // A database busy past its timeout misses one beat; the next one catches up.
      if (this.#store.isOpen) tryWrite(() => this.#store.jobs.heartbeat(this.#owner))
    }, HEARTBEAT_MS).unref()
  }

  enqueue(settings: JobSettings): JobSnapshot {
    const job = this.#adopt(toSnapshot(this.#store.jobs.create({ kind: 'folder', folderPath: settings.folder, settings: settingsJson(settings), owner: this.#owner })))
    this.#schedule(job)
    return job.snapshot
  }

  /**
   * Starts (or resumes, if one was interrupted) the watch job of a folder; it inspects what is not
   * yet inspected, then whatever `notifyArrival` announces, until cancelled.
   */
  watch(settings: JobSettings): JobSnapshot {
    const interrupted = this.#store.jobs.listRecent(LISTED_ROWS).find((row) => row.kind === 'watch' && row.folderPath === settings.folder && row.state === 'interrupted')
    const claimed = interrupted && this.#store.jobs.claim(interrupted.id, this.#owner)
    const row = claimed ?? this.#store.jobs.create({ kind: 'watch', folderPath: settings.folder, settings: settingsJson(settings), owner: this.#owner })
    const job = this.#adopt({ ...toSnapshot(row), settings })
    this.#update(job, { state: 'running' })
    this.notifyArrival(job.snapshot.id)
    return job.snapshot
  }

  /** New files are in the store for a watch job's source: queue a slice unless one is queued. */
  notifyArrival(id: number): void {
    const job = this.#require(id)
    if (!job.watch || job.watch.isSliceQueued || isFinishedState(job.snapshot.state) || job.isPauseRequested) return
    job.watch.isSliceQueued = true
    this.#pumping = this.#pumping.then(() => runWatchSlice(job, this.#host))
  }

  /** This queue's jobs, then the rest of the library's recent jobs (other processes, earlier sessions). */
  list(): JobSnapshot[] {
    const own = this.#jobs.map((j) => j.snapshot)
    const ownIds = new Set(own.map((j) => j.id))
    const others = this.#store.isOpen ? this.#store.jobs.listRecent(LISTED_ROWS).filter((row) => !ownIds.has(row.id)).map(toSnapshot) : []
    return [...own, ...others]
  }

  get(id: number): JobSnapshot | undefined {
    const own = this.#find(id)?.snapshot
    if (own || !this.#store.isOpen) return own
    const row = this.#store.jobs.get(id)
    return row && toSnapshot(row)
  }

  pause(id: number): void {
    const job = this.#require(id)
    if (job.snapshot.state !== 'running' && job.snapshot.state !== 'pending') return
    job.isPauseRequested = true
    if (this.#current === job) this.#inference.stop()
    else if (job.watch) this.#update(job, { state: 'paused' })
  }

  /** Resumes a paused job, or takes over an interrupted one (from any process) and runs what is left. */
  resume(id: number): void {
    const own = this.#find(id)
    if (!own) return this.#resumeInterrupted(id)
    own.isPauseRequested = false
    if (own.resume) return own.resume()
    if (own.watch && own.snapshot.state === 'paused') {
      this.#update(own, { state: 'running' })
      this.notifyArrival(id)
    }
  }

  cancel(id: number): void {
    const job = this.#require(id)
    if (isFinishedState(job.snapshot.state)) return
    job.isCancelRequested = true
    if (this.#current === job) this.#inference.stop()
    else if (job.watch && !job.watch.isSliceQueued) this.#finish(job, 'cancelled', job.watch.loaded?.run ?? null)
    job.resume?.()
  }

  /** Resolves when every job and slice queued so far has finished. */
  idle(): Promise<void> {
    return this.#pumping
  }

  onJobProgress(listener: Listener<JobSnapshot>): () => void {
    return this.#progressListeners.add(listener)
  }

  onQueueChanged(listener: Listener<readonly JobSnapshot[]>): () => void {
    return this.#queueListeners.add(listener)
  }

  onImageFinished(listener: Listener<ImageFinished>): () => void {
    return this.#imageListeners.add(listener)
  }

  /**
   * Finishes the image in hand, then closes: jobs not finished are left paused (a clean stop: every
   * result so far is saved with its progress). Opened again, the library takes them up like
   * interrupted ones (their process is gone): a watched source's job resumes by itself.
   */
  async shutdown(): Promise<void> {
    this.#isShuttingDown = true
    this.#inference.stop()
    for (const job of this.#jobs) job.resume?.()
    await this.#pumping
    this.#close('paused', 'paused: Coilscope was stopped before the job finished')
  }

  /** Ends the inference process; the jobs still active are marked interrupted in the store. */
  close(): void {
    this.#close('interrupted', 'interrupted: the library was closed before it finished')
  }

  #close(state: 'interrupted' | 'paused', message: string): void {
    if (this.#isClosed) return
    clearInterval(this.#heartbeat)
    this.#inference.close()
    if (!this.#store.isOpen) return
    for (const job of this.#jobs) {
      if (isFinishedState(job.snapshot.state) || job.snapshot.state === 'interrupted') continue
      job.snapshot = { ...job.snapshot, state, message }
      this.#save(job)
      if (job.snapshot.runId !== null) this.#trySetRunStatus(job.snapshot.runId, 'paused')
    }
    // Whatever the closed inference process still reports must not overwrite 'interrupted'.
    this.#isClosed = true
  }

  #adopt(snapshot: JobSnapshot): Job {
    const job: Job = { snapshot, isPauseRequested: false, isCancelRequested: false, resume: null, watch: snapshot.kind === 'watch' ? { loaded: null, isSliceQueued: false, hasCaughtUp: false } : null }
    this.#jobs.push(job)
    this.#emitQueue()
    return job
  }

  #schedule(job: Job): void {
    this.#pumping = this.#pumping.then(() => runFolderJob(job, this.#host))
  }

  #resumeInterrupted(id: number): void {
    const row = this.#store.jobs.get(id)
    if (!row) throw new Error(`no job ${id}`)
    if (row.state !== 'interrupted') return
    if (row.kind === 'watch') throw new Error(`job ${id} watches ${row.folderPath}: watch the source again to resume it`)
    const claimed = this.#store.jobs.claim(id, this.#owner)
    if (!claimed) return // another process took it first
    this.#schedule(this.#adopt(toSnapshot(claimed)))
  }

  async #inspect(job: Job, client: InferenceClient, info: LoadedInfo, run: RunRecord, todo: readonly ImageRecord[], start: { done: number; total: number; errors: number }): Promise<void> {
    this.#current = job
    try {
      await inspectImages({
        store: this.#store,
        client,
        info,
        run,
        folder: job.snapshot.settings.folder,
        images: todo,
        start,
        onProgress: (progress) => this.#progress(job, progress),
        onImage: (event) => this.#emitImage({ ...event, jobId: job.snapshot.id }),
      })
    } finally {
      this.#current = null
    }
  }

  #openRun(job: Job, sourceId: number, info: LoadedInfo): RunRecord {
    // One transaction: no other process sees the run running without the job that holds it.
    return this.#store.transaction(() => {
      const run = openRun(this.#store, sourceId, job.snapshot.settings, info)
      this.#update(job, { runId: run.id, provider: { used: info.provider.provider, fallbackReason: info.provider.fallbackReason } })
      return run
    })
  }

  #finish(job: Job, state: JobState, run: RunRecord | null, message: string | null = null): void {
    if (run) this.#trySetRunStatus(run.id, state === 'done' || state === 'failed' || state === 'cancelled' ? state : 'paused')
    this.#update(job, { state, message })
  }

  #trySetRunStatus(runId: number, status: 'done' | 'failed' | 'cancelled' | 'paused'): void {
    // A full or read-only database cannot take the status either; the job's state says it.
    if (!this.#isClosed) tryWrite(() => this.#store.runs.setStatus(runId, status))
  }

  #update(job: Job, change: Partial<JobSnapshot>): void {
    job.snapshot = { ...job.snapshot, ...change }
    this.#save(job)
    this.#emitProgress(job)
    this.#emitQueue()
  }

  #progress(job: Job, progress: JobSnapshot['progress']): void {
    job.snapshot = { ...job.snapshot, progress }
    this.#save(job)
    this.#emitProgress(job)
  }

  #save(job: Job): void {
    // The database cannot take writes (full, read-only, closed): results fail loudly where they
    // are recorded; the job's row catches up with its next change.
    if (!this.#isClosed) tryWrite(() => saveSnapshot(this.#store, job.snapshot))
  }

  #emitProgress(job: Job): void {
    this.#progressListeners.emit(job.snapshot)
  }

  #emitQueue(): void {
    this.#queueListeners.emit(this.list())
  }

  #emitImage(event: ImageFinished): void {
    this.#imageListeners.emit(event)
  }

  #find(id: number): Job | undefined {
    return this.#jobs.find((j) => j.snapshot.id === id)
  }

  #require(id: number): Job {
    const job = this.#find(id)
    if (job) return job
    const row = this.#store.isOpen ? this.#store.jobs.get(id) : undefined
    if (row?.owner && row.state !== 'interrupted' && !isFinishedState(row.state)) {
      throw new Error(`job ${id} is run by another process (pid ${row.owner.pid} on ${row.owner.host}); control it there`)
    }
    throw new Error(row ? `job ${id} is ${row.state}` : `no job ${id}`)
  }
}

function tryWrite<T>(write: () => T): T | undefined {
  try {
    return write()
  } catch {
    return undefined
  }
}
