// The service behind CoilscopeApi: one implementation over the store, the job queue and the
// settings, used by both front doors (Electron IPC and the web host's socket). It never imports
// electron; what differs between hosts (a native folder dialog, the binary URL scheme) is passed in.
import type { FitReport } from '../../src-shared/imageFit.ts'
import { folderFit } from '../fit/folderFit.ts'
import { resolve } from 'node:path'
import type { ApiMethods } from '../../src-shared/api.ts'
import type { AppInfo } from '../../src-shared/apiTypes.ts'
import { APP_VERSION } from '../appInfo.ts'
import { JobQueue } from '../queue/index.ts'
import type { Store } from '../store/index.ts'
import { forkWorker, type WorkerPort } from '../worker/index.ts'
import { CoilResources } from './coilResources.ts'
import { EventHub } from './events.ts'
import { listImages } from './imageList.ts'
import { Jobs } from './jobs.ts'
import { ModelSetCatalog } from './modelSetCatalog.ts'
import { REPO_MODELS_ROOT } from './paths.ts'
import type { PdfPrinter } from '../report/index.ts'
import { createCoilMethods } from './coilMethods.ts'
import { createCompareMethods } from './compareMethods.ts'
import { createExportMethods, type ExportDestination } from './exportMethods.ts'
import { createReviewMethods } from './reviewMethods.ts'
import { warmReview, type ReviewWarmup } from './reviewWarmup.ts'
import { listRuns } from './runs.ts'
import { SettingsService } from './settingsService.ts'
import { listSources, openFolder, UserError } from './sources.ts'
import { Watches } from './watches.ts'

export interface AppHost {
  readonly kind: AppInfo['host']
  /** Prefix of binary URLs the renderer builds. */
  readonly resourceBase: string
  /** A native folder dialog, where the host has one. */
  readonly pickFolder?: () => Promise<string | null>
  /** Prints report HTML to PDF (Electron's printToPDF); headless Chromium where absent. */
  readonly printPdf?: PdfPrinter
  /** Where exports go when the renderer may not choose a path (the web host). */
  readonly exportDestination?: ExportDestination
}

export interface AppServiceOptions {
  readonly store: Store
  readonly host: AppHost
  /** Starts an inference process: fork under Node, utilityProcess under Electron. */
  readonly spawnWorker?: () => WorkerPort
  readonly defaultModelsRoot?: string
  /** The built module of Review's margin worker (Electron); plain Node runs its source. */
  readonly marginWorkerEntry?: string
}

export interface AppService {
  readonly methods: ApiMethods
  readonly events: EventHub
  readonly resources: CoilResources
  readonly settings: SettingsService
  /** Takes up the sources set to watch that no live process watches (call once the host is up). */
  resumeWatched(): Promise<void>
  /** Computes Review's margins in the background, in a worker thread (call once the host is up). */
  warmReview(): void
  /**
   * Stops the watchers, finishes the image in hand and stops the inference process; unfinished
   * jobs are left paused, to resume. The store is the caller's to close.
   */
  shutdown(): Promise<void>
  /** Stops the watchers and the inference process; unfinished jobs stay interrupted, to resume. The store is the caller's to close. */
  close(): void
}

export function createAppService(options: AppServiceOptions): AppService {
  const { store, host } = options
  const spawnWorker = options.spawnWorker ?? forkWorker
  const defaultModelsRoot = options.defaultModelsRoot ?? REPO_MODELS_ROOT
  const events = new EventHub()
  let warmup: ReviewWarmup | null = null
  const settings = new SettingsService(store.settings)
  const queue = new JobQueue(store, { spawnWorker })
  const jobs = new Jobs(queue, store, events)
  const watches = new Watches(store, queue, events)
  const watchView = (source: Parameters<Watches['view']>[0]) => watches.view(source)
  const catalog = new ModelSetCatalog(spawnWorker)
  const modelsRoot = () => settings.get().modelsRoot ?? defaultModelsRoot
  const fits = new Map<string, Promise<FitReport | null>>()
  /** An even sample of the folder's images is decoded: the verdict is kept for the session. */
  const fitOf = (modelSetDir: string, folder: string) => {
    const key = JSON.stringify([resolve(modelSetDir), folder])
    let fit = fits.get(key)
    if (!fit) fits.set(key, (fit = folderFit(resolve(modelSetDir), folder)))
    return fit
  }
  /** The sets under the models root, then the ones added from elsewhere (each once). */
  const allModelSets = async () => {
    const sets = await catalog.list(modelsRoot())
    for (const dir of settings.get().extraModelSetDirs) {
      if (sets.some((s) => s.dir === dir)) continue
      const info = await catalog.checkDir(dir)
      if (info) sets.push(info)
    }
    return sets
  }
  /** Who the reviews, edits and decisions are recorded as. */
  const reviewer = () => settings.get().authorName || 'inspector'

  const methods: ApiMethods = {
    getAppInfo: async () => ({
      version: APP_VERSION,
      host: host.kind,
      platform: process.platform,
      canPickFolder: host.pickFolder !== undefined,
      resourceBase: host.resourceBase,
      databasePath: store.path,
      defaultModelsRoot,
    }),
    pickFolder: async () => (host.pickFolder ? host.pickFolder() : null),
    openFolder: async ({ path }) => {
      const source = await openFolder(store, path, watchView)
      settings.addRecentFolder(source.folderPath)
      events.emit('sourcesChanged', { openedSourceId: source.id })
      return source
    },
    listSources: async () => listSources(store, watchView),
    listImages: async (query) => listImages(store, query),
    listRuns: async () => listRuns(store),
    listModelSets: () => allModelSets(),
    addModelSet: async ({ dir }) => {
      const info = await catalog.checkDir(dir)
      if (!info) throw new UserError(`${resolve(dir)}: no manifest.json there — a model set is a folder with manifest.json and its .onnx files (\`coilscope models init <folder>\` drafts one)`)
      const extra = settings.get().extraModelSetDirs
      if (!extra.includes(info.dir)) settings.set({ extraModelSetDirs: [...extra, info.dir] })
      return info
    },
    checkFit: async ({ sourceId, modelSetDir }) => {
      const source = store.sources.get(sourceId)
      if (!source) throw new UserError(`no source ${sourceId}`)
      return fitOf(modelSetDir, source.folderPath)
    },
    startJob: async ({ sourceId, modelSetDir, provider }) => {
      const sets = await allModelSets()
      const set = sets.find((s) => s.dir === resolve(modelSetDir))
      if (!set) throw new UserError(`${modelSetDir} is not a model set under ${modelsRoot()} nor one added`)
      if (!set.isValid) throw new UserError(`${set.dir} cannot be used: ${set.problems.join('; ')}`)
      const job = jobs.start({ sourceId, modelSetDir: set.dir, provider })
      settings.set({ lastModelSetDir: set.dir, provider })
      return job
    },
    setSourceWatch: async ({ sourceId, isWatched, modelSetDir, provider }) => {
      let dir: string | null = null
      if (isWatched && modelSetDir) {
        const set = (await catalog.list(modelsRoot())).find((s) => s.dir === resolve(modelSetDir))
        if (!set) throw new UserError(`${modelSetDir} is not a model set under ${modelsRoot()}`)
        if (!set.isValid) throw new UserError(`${set.dir} cannot be used: ${set.problems.join('; ')}`)
        dir = set.dir
      }
      await watches.set(sourceId, isWatched, dir, provider)
      events.emit('sourcesChanged', { openedSourceId: null })
      return listSources(store, watchView).find((s) => s.id === sourceId)!
    },
    pauseJob: async ({ jobId }) => jobs.pause(jobId),
    resumeJob: async ({ jobId }) => jobs.resume(jobId),
    cancelJob: async ({ jobId }) => jobs.cancel(jobId),
    listJobs: async () => jobs.list(),
    getSettings: async () => settings.get(),
    setSettings: async (patch) => settings.set(patch),
    ...createReviewMethods({
      store,
      queue,
      author: reviewer,
      modelSetDirs: async () => (await catalog.list(modelsRoot())).filter((s) => s.isValid).map((s) => s.dir),
      modelSetRoots: () => [modelsRoot(), ...settings.get().extraModelSetDirs],
      fitOf,
    }),
    ...createExportMethods(store, host.printPdf, host.exportDestination, () => [modelsRoot()]),
    ...createCoilMethods(store, reviewer),
    ...createCompareMethods({
      store,
      queue,
      author: reviewer,
      modelSetDirs: async () => (await allModelSets()).filter((s) => s.isValid).map((s) => s.dir),
      provider: () => settings.get().provider,
    }),
  }

  return {
    methods,
    events,
    resources: new CoilResources(store),
    settings,
    resumeWatched: () => watches.resumeWatched(),
    warmReview: () => {
      warmup ??= warmReview(store, { workerEntry: options.marginWorkerEntry, onProblem: (message) => process.stderr.write(`coilscope: ${message}\n`) })
    },
    shutdown: async () => {
      const stopping = warmup?.stop() // beside the jobs' stop, not before it: the image in hand is what counts
      await watches.detachAll()
      await queue.shutdown()
      await stopping
    },
    close: () => {
      void warmup?.stop()
      void watches.detachAll()
      queue.close()
    },
  }
}
