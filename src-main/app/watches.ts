// Watched sources in the app: the Library's toggle, the watches this app runs, and resuming them
// when the library is opened (a source set to watch that no live process watches is taken up
// again, catching up with what arrived meanwhile). What the Library shows of each comes from the
// store, so a watch run by `coilscope watch` on the same database shows too.
import { hostname } from 'node:os'
import type { ProviderChoice, SourceWatchView } from '../../src-shared/apiTypes.ts'
import { watchHealth } from '../../src-shared/watchHealth.ts'
import { isOwnerGone, isPidAlive, type JobQueue, type JobSettings } from '../queue/index.ts'
import type { SourceRecord, Store } from '../store/index.ts'
import { liveWatchOf, SourceWatch, STATS_WINDOW_MS } from '../watch/index.ts'
import type { EventHub } from './events.ts'
import { UserError } from './sources.ts'

export class Watches {
  readonly #store: Store
  readonly #queue: JobQueue
  readonly #events: EventHub
  readonly #running = new Map<number, SourceWatch>()

  constructor(store: Store, queue: JobQueue, events: EventHub) {
    this.#store = store
    this.#queue = queue
    this.#events = events
  }

  /** Takes up every source set to watch that no live process watches. */
  async resumeWatched(): Promise<void> {
    for (const watched of this.#store.watch.listWatched()) {
      const source = this.#store.sources.get(watched.sourceId)
      if (!source || liveWatchOf(this.#store, source.folderPath)) continue
      await this.#start(source, watched.settings as unknown as JobSettings).catch((error: unknown) => {
        this.#events.emit('sourcesChanged', { openedSourceId: null })
        process.stderr.write(`coilscope: cannot watch ${source.folderPath}: ${(error as Error).message}\n`)
      })
    }
  }

  /** `modelSetDir` must already be checked (a valid set of the catalog) when watching. */
  async set(sourceId: number, isWatched: boolean, modelSetDir: string | null, provider: ProviderChoice): Promise<void> {
    const source = this.#store.sources.get(sourceId)
    if (!source) throw new UserError(`no source ${sourceId}`)
    if (!isWatched) {
      this.#store.watch.setWatched(sourceId, null)
      await this.#running.get(sourceId)?.stop()
      this.#running.delete(sourceId)
      return
    }
    if (this.#running.has(sourceId)) return
    const elsewhere = liveWatchOf(this.#store, source.folderPath)
    if (elsewhere) throw new UserError(`${source.folderPath} is already watched by process ${elsewhere.owner?.pid} on ${elsewhere.owner?.host}`)
    if (!modelSetDir) throw new UserError('choose a model set to watch with')
    const settings: JobSettings = { folder: source.folderPath, modelsDir: modelSetDir, provider }
    this.#store.watch.setWatched(sourceId, JSON.parse(JSON.stringify(settings)))
    await this.#start(source, settings)
  }

  view(source: SourceRecord, nowMs: number = Date.now()): SourceWatchView | null {
    const watched = this.#store.watch.getWatched(source.id)
    const jobs = this.#store.jobs.listRecent(50).filter((job) => job.kind === 'watch' && job.folderPath === source.folderPath)
    if (!watched && jobs.length === 0) return null
    const active = jobs.find((job) => job.state === 'pending' || job.state === 'running' || job.state === 'paused')
    const here = this.#running.get(source.id)?.jobId ?? null
    const isLive = active !== undefined && !isOwnerGone(active, nowMs, hostname(), isPidAlive)
    const watcher = here !== null ? 'here' : isLive ? 'elsewhere' : 'none'
    const job = jobs[0]
    const since = Math.max(nowMs - STATS_WINDOW_MS, this.#running.get(source.id)?.startedAtMs ?? job?.createdAtMs ?? nowMs - STATS_WINDOW_MS)
    const counts = this.#store.watch.counts(source.id, job?.runId ?? null, since)
    const settings = (watched?.settings ?? job?.settings) as unknown as JobSettings | undefined
    return {
      isWatched: watched !== undefined,
      watcher,
      jobId: here ?? job?.id ?? null,
      modelSetDir: settings?.modelsDir ?? null,
      health: watchHealth(counts, Math.max(1000, nowMs - since), nowMs),
    }
  }

  /** Stops watching without ending the jobs: they are resumed when the library is opened again. */
  async detachAll(): Promise<void> {
    await Promise.all([...this.#running.values()].map((watch) => watch.detach()))
    this.#running.clear()
  }

  async #start(source: SourceRecord, settings: JobSettings): Promise<void> {
    const watch = new SourceWatch(this.#store, this.#queue, settings, {
      onError: (error) => process.stderr.write(`coilscope: watching ${source.folderPath}: ${error.message}\n`),
      onRejected: () => this.#events.emit('sourcesChanged', { openedSourceId: null }),
    })
    this.#running.set(source.id, watch)
    await watch.start()
    this.#events.emit('sourcesChanged', { openedSourceId: null })
  }
}
