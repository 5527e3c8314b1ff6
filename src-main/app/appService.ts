// The service behind CoilscopeApi: one implementation over the store, the job queue and the
// settings, used by both front doors (Electron IPC and the web host's socket). It never imports
// electron; what differs between hosts (a native folder dialog, the binary URL scheme) is passed in.
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
import { createExportMethods } from './exportMethods.ts'
import { createReviewMethods } from './reviewMethods.ts'
import { listRuns } from './runs.ts'
import { SettingsService } from './settingsService.ts'
import { listSources, openFolder, UserError } from './sources.ts'

export interface AppHost {
  readonly kind: AppInfo['host']
  /** Prefix of binary URLs the renderer builds. */
  readonly resourceBase: string
  /** A native folder dialog, where the host has one. */
  readonly pickFolder?: () => Promise<string | null>
  /** Prints report HTML to PDF (Electron's printToPDF); headless Chromium where absent. */
  readonly printPdf?: PdfPrinter
}

export interface AppServiceOptions {
  readonly store: Store
  readonly host: AppHost
  /** Starts an inference process: fork under Node, utilityProcess under Electron. */
  readonly spawnWorker?: () => WorkerPort
  readonly defaultModelsRoot?: string
}

export interface AppService {
  readonly methods: ApiMethods
  readonly events: EventHub
  readonly resources: CoilResources
  readonly settings: SettingsService
  /** Stops the inference process; the store is the caller's to close. */
  close(): void
}

export function createAppService(options: AppServiceOptions): AppService {
  const { store, host } = options
  const spawnWorker = options.spawnWorker ?? forkWorker
  const defaultModelsRoot = options.defaultModelsRoot ?? REPO_MODELS_ROOT
  const events = new EventHub()
  const settings = new SettingsService(store.settings)
  const queue = new JobQueue(store, { spawnWorker })
  const jobs = new Jobs(queue, store, events)
  const catalog = new ModelSetCatalog(spawnWorker)
  const modelsRoot = () => settings.get().modelsRoot ?? defaultModelsRoot

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
      const source = await openFolder(store, path)
      settings.addRecentFolder(source.folderPath)
      events.emit('sourcesChanged', { openedSourceId: source.id })
      return source
    },
    listSources: async () => listSources(store),
    listImages: async (query) => listImages(store, query),
    listRuns: async () => listRuns(store),
    listModelSets: () => catalog.list(modelsRoot()),
    startJob: async ({ sourceId, modelSetDir, provider }) => {
      const sets = await catalog.list(modelsRoot())
      const set = sets.find((s) => s.dir === resolve(modelSetDir))
      if (!set) throw new UserError(`${modelSetDir} is not a model set under ${modelsRoot()}`)
      if (!set.isValid) throw new UserError(`${set.dir} cannot be used: ${set.problems.join('; ')}`)
      const job = jobs.start({ sourceId, modelSetDir: set.dir, provider })
      settings.set({ lastModelSetDir: set.dir, provider })
      return job
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
      author: () => settings.get().authorName || 'inspector',
      modelSetDirs: async () => (await catalog.list(modelsRoot())).filter((s) => s.isValid).map((s) => s.dir),
    }),
    ...createExportMethods(store, host.printPdf),
    ...createCoilMethods(store, () => settings.get().authorName || 'inspector'),
  }

  return { methods, events, resources: new CoilResources(store), settings, close: () => queue.close() }
}
