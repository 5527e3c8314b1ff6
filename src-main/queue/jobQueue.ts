// The job queue: one job runs at a time on one inference process; every result is written by main
// in its own transaction as it arrives. Pause and cancel stop after the image in hand. A job that
// is run again (or resumed after a crash) finds its run by settings and does only what is left.
import { join } from 'node:path'
import { isFinishedState } from '../../src-shared/apiTypes.ts'
import { APP_VERSION } from '../appInfo.ts'
import type { JsonObject, RunRecord, Store } from '../store/index.ts'
import { forkWorker, InferenceClient, type LoadedInfo, type WorkerPort } from '../worker/index.ts'
import type { ImageFinished, JobSettings, JobSnapshot, JobState } from './jobs.ts'
import { recordOutcome } from './recordOutcome.ts'
import { scanSource } from './scanSource.ts'

type Listener<T> = (value: T) => void

interface Job {
  snapshot: JobSnapshot
  isPauseRequested: boolean
  isCancelRequested: boolean
  resume: (() => void) | null
}

export interface JobQueueOptions {
  readonly spawnWorker?: () => WorkerPort
}

export class JobQueue {
  readonly #store: Store
  readonly #spawnWorker: () => WorkerPort
  readonly #jobs: Job[] = []
  readonly #progressListeners = new Set<Listener<JobSnapshot>>()
  readonly #queueListeners = new Set<Listener<readonly JobSnapshot[]>>()
  readonly #imageListeners = new Set<Listener<ImageFinished>>()
  #client: { key: string; client: InferenceClient } | null = null
  #pumping: Promise<void> = Promise.resolve()
  #nextId = 1

  constructor(store: Store, options: JobQueueOptions = {}) {
    this.#store = store
    this.#spawnWorker = options.spawnWorker ?? forkWorker
  }

  enqueue(settings: JobSettings): JobSnapshot {
    const job: Job = {
      snapshot: { id: this.#nextId++, settings, state: 'pending', sourceId: null, runId: null, scan: null, provider: null, message: null, progress: { done: 0, total: 0, errors: 0, imagesPerSecond: 0, etaSeconds: null } },
      isPauseRequested: false,
      isCancelRequested: false,
      resume: null,
    }
    this.#jobs.push(job)
    this.#emitQueue()
    this.#pumping = this.#pumping.then(() => this.#run(job))
    return job.snapshot
  }

  list(): JobSnapshot[] {
    return this.#jobs.map((j) => j.snapshot)
  }

  get(id: number): JobSnapshot | undefined {
    return this.#find(id)?.snapshot
  }

  pause(id: number): void {
    const job = this.#require(id)
    if (job.snapshot.state !== 'running' && job.snapshot.state !== 'pending') return
    job.isPauseRequested = true
    if (job.snapshot.state === 'running') this.#client?.client.stop()
  }

  resume(id: number): void {
    const job = this.#require(id)
    job.isPauseRequested = false
    job.resume?.()
  }

  cancel(id: number): void {
    const job = this.#require(id)
    if (isFinishedState(job.snapshot.state)) return
    job.isCancelRequested = true
    if (job.snapshot.state === 'running') this.#client?.client.stop()
    job.resume?.()
  }

  /** Resolves when every job enqueued so far has finished. */
  idle(): Promise<void> {
    return this.#pumping
  }

  onJobProgress(listener: Listener<JobSnapshot>): () => void {
    return subscribe(this.#progressListeners, listener)
  }

  onQueueChanged(listener: Listener<readonly JobSnapshot[]>): () => void {
    return subscribe(this.#queueListeners, listener)
  }

  onImageFinished(listener: Listener<ImageFinished>): () => void {
    return subscribe(this.#imageListeners, listener)
  }

  /** Ends the inference process. */
  close(): void {
    this.#client?.client.close()
    this.#client = null
  }

  async #run(job: Job): Promise<void> {
    if (job.isCancelRequested) return this.#finish(job, 'cancelled', null)
    this.#update(job, { state: 'running' })
    let run: RunRecord | null = null
    try {
      const scan = await scanSource(this.#store, job.snapshot.settings.folder)
      const client = this.#clientFor(job.snapshot.settings)
      const info = await client.start().catch((error: unknown) => {
        // A worker that could not load is useless for the next job with the same settings.
        this.close()
        throw error
      })
      run = this.#openRun(scan.source.id, job.snapshot.settings, info)
      const only = job.snapshot.settings.only && new Set(job.snapshot.settings.only)
      const inspectable = new Map(scan.images.filter((image) => !only || only.has(image.relativePath)).map((image) => [image.id, image]))
      const scanErrors = scan.failed.length
      const { failed, skipped, duplicates } = scan
      this.#update(job, { sourceId: scan.source.id, runId: run.id, scan: { failed, skipped, duplicates }, provider: { used: info.provider.provider, fallbackReason: info.provider.fallbackReason } })
      const folder = job.snapshot.settings.folder
      for (;;) {
        const todo = this.#store.images.listUnpredicted(scan.source.id, run.id).filter((image) => inspectable.has(image.id))
        const total = inspectable.size
        let done = total - todo.length
        let errors = scanErrors
        const started = performance.now()
        let processed = 0
        const idByPath = new Map(todo.map((image) => [join(folder, image.relativePath), image.id]))
        this.#progress(job, { done, total, errors, imagesPerSecond: 0, etaSeconds: null })
        let storeError: Error | null = null
        // A job paused before it started (or while it scanned) pauses before its first image.
        if (!job.isPauseRequested) await client.inspect([...idByPath.keys()], (outcome) => {
          if (storeError) return
          const imageId = idByPath.get(outcome.path)!
          const storeStarted = performance.now()
          try {
            recordOutcome(this.#store, outcome, { runId: run!.id, imageId, mapHeight: info.manifest.input.height, mapWidth: info.manifest.input.width })
          } catch (error) {
            // The database cannot take more (disk full, read-only): stop; what is stored stays.
            storeError = error as Error
            client.stop()
            return
          }
          const storeMs = performance.now() - storeStarted
          done++
          processed++
          if (!outcome.ok) errors++
          const rate = processed / ((performance.now() - started) / 1000)
          this.#progress(job, { done, total, errors, imagesPerSecond: rate, etaSeconds: rate > 0 ? (total - done) / rate : null })
          this.#emitImage({
            jobId: job.snapshot.id,
            imageId,
            path: outcome.path,
            ok: outcome.ok,
            error: outcome.ok ? null : outcome.error,
            warning: outcome.ok ? outcome.image.warning : null,
            gatedIn: outcome.ok ? outcome.inspection.isGatedIn : null,
            classAreasPx: outcome.ok ? outcome.inspection.classes.map((c) => c.areaPx) : null,
            timings: outcome.ok ? outcome.timings : null,
            storeMs,
          })
        })
        if (storeError) throw new Error(`cannot record results in ${this.#store.path}: ${(storeError as Error).message}`)
        if (job.isCancelRequested) return this.#finish(job, 'cancelled', run)
        if (!job.isPauseRequested) return this.#finish(job, 'done', run)
        this.#store.runs.setStatus(run.id, 'paused')
        this.#update(job, { state: 'paused' })
        await new Promise<void>((resolve) => (job.resume = resolve))
        job.resume = null
        if (job.isCancelRequested) return this.#finish(job, 'cancelled', run)
        this.#store.runs.setStatus(run.id, 'running')
        this.#update(job, { state: 'running' })
      }
    } catch (error) {
      return this.#finish(job, 'failed', run, (error as Error).message)
    }
  }

  #openRun(sourceId: number, settings: JobSettings, info: LoadedInfo): RunRecord {
    const { manifest } = info
    const modelSet = this.#store.modelSets.ensure({
      manifestId: manifest.id,
      version: manifest.version,
      manifestSha256: info.manifestSha256,
      members: [
        ...(manifest.classifier?.members ?? []).map((m) => ({ stage: 'classifier' as const, file: m.file, sha256: m.sha256 ?? '' })),
        ...manifest.segmenter.members.map((m) => ({ stage: 'segmenter' as const, file: m.file, sha256: m.sha256 ?? '' })),
      ],
      classes: manifest.classes,
    })
    const post = manifest.segmenter.postprocess
    const profile = settings.inspector?.profile
    const postprocess: JsonObject = profile
      ? { upper: [...profile.upper], lower: [...profile.lower], minArea: [...profile.minAreaModelPx] }
      : { upper: post.upper, lower: post.lower, minArea: post.minArea }
    const runSettings = { sourceId, modelSetId: modelSet.id, postprocess, gateThreshold: settings.inspector?.gateThreshold ?? manifest.classifier?.threshold ?? null, tta: manifest.tta }
    const run =
      this.#store.runs.findLatestMatching(runSettings) ??
      this.#store.runs.create({ ...runSettings, providerRequested: settings.provider, appVersion: APP_VERSION, status: 'running' })
    this.#store.runs.recordProvider(run.id, { providerUsed: info.provider.provider, fallbackReason: info.provider.fallbackReason, ortVersion: info.ortVersion })
    return this.#store.runs.setStatus(run.id, 'running')
  }

  #clientFor(settings: JobSettings): InferenceClient {
    const key = JSON.stringify([settings.modelsDir, settings.provider, settings.threads ?? null, settings.inspector ?? null])
    if (this.#client?.key !== key) {
      this.#client?.client.close()
      const request = { modelsDir: settings.modelsDir, provider: settings.provider, threads: settings.threads, inspector: settings.inspector }
      this.#client = { key, client: new InferenceClient(this.#spawnWorker, request) }
    }
    return this.#client.client
  }

  #finish(job: Job, state: JobState, run: RunRecord | null, message: string | null = null): void {
    try {
      if (run) this.#store.runs.setStatus(run.id, state)
    } catch {
      // A full or read-only database cannot take the status either; the job's state says it.
    }
    this.#update(job, { state, message })
  }

  #update(job: Job, change: Partial<JobSnapshot>): void {
    job.snapshot = { ...job.snapshot, ...change }
    this.#emitProgress(job)
    this.#emitQueue()
  }

  #progress(job: Job, progress: JobSnapshot['progress']): void {
    job.snapshot = { ...job.snapshot, progress }
    this.#emitProgress(job)
  }

  #emitProgress(job: Job): void {
    for (const listener of this.#progressListeners) listener(job.snapshot)
  }

  #emitQueue(): void {
    const jobs = this.list()
    for (const listener of this.#queueListeners) listener(jobs)
  }

  #emitImage(event: ImageFinished): void {
    for (const listener of this.#imageListeners) listener(event)
  }

  #find(id: number): Job | undefined {
    return this.#jobs.find((j) => j.snapshot.id === id)
  }

  #require(id: number): Job {
    const job = this.#find(id)
    if (!job) throw new Error(`no job ${id}`)
    return job
  }
}

function subscribe<T>(listeners: Set<Listener<T>>, listener: Listener<T>): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
