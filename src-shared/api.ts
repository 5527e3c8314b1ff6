// The contract between the renderer and main: one method table that grows. Every method takes at
// most one JSON input and resolves to JSON; events are on<Noun><PastVerb> subscriptions. The
// preload, main's IPC handlers and the web host's socket bridge are all built from API_METHODS and
// API_EVENTS, so adding a method here (and its input schema in apiSchemas.ts, and its
// implementation in src-main/app) is the whole change.
import type { FitReport } from './imageFit.ts'
import type {
  AppInfo,
  CommandRequest,
  ImageFinishedEvent,
  ImagePage,
  ImageQuery,
  JobView,
  ModelSetInfo,
  ProviderChoice,
  RunSummary,
  Settings,
  SourcesChangedEvent,
  SourceSummary,
} from './apiTypes.ts'
import type { CoilApiMethods } from './coilTypes.ts'
import type { CompareApiMethods } from './compareTypes.ts'
import type { ExportApiMethods } from './exportTypes.ts'
import type { ReviewApiMethods } from './reviewTypes.ts'

export type * from './apiTypes.ts'
export type * from './coilTypes.ts'
export type * from './compareTypes.ts'
export type * from './exportTypes.ts'
export type * from './reviewTypes.ts'
export type { FitReport } from './imageFit.ts'
export { APP_COMMANDS, IMAGE_SORT_KEYS, IMAGE_STATUSES, JOB_STATES, PROVIDER_CHOICES, REVIEW_FILTERS, THEMES } from './apiTypes.ts'

export const API_METHODS = [
  'getAppInfo',
  'pickFolder',
  'openFolder',
  'listSources',
  'listImages',
  'listRuns',
  'listModelSets',
  'addModelSet',
  'checkFit',
  'startJob',
  'pauseJob',
  'resumeJob',
  'cancelJob',
  'listJobs',
  'getSettings',
  'setSettings',
  'setSourceWatch',
  // Review
  'getReviewImage',
  'listReviewWindow',
  'locateInReviewQueue',
  'searchReviewQueue',
  'listBatchCandidates',
  'listReviewItems',
  'saveMaskEdit',
  'revertToModel',
  'setReview',
  'getRunProfile',
  'getReviewRunContext',
  'listProfiles',
  'saveProfile',
  'applyProfile',
  'getRunMetrics',
  'optimiseThresholds',
  'forceStage2',
  // Export
  'exportRun',
  'writeReport',
  // Compare
  'compareRuns',
  'getCompareImage',
  'decideSourceModelSet',
  'listSourceModelDecisions',
  // Coils
  'listCoils',
  'getCoilMap',
  'decideCoil',
  'importRuleSet',
  'exportRuleSet',
  'getCoilSettings',
  'setCoilSettings',
  'listRuleSets',
  'writeCoilReport',
] as const
export type ApiMethod = (typeof API_METHODS)[number]

/** The Review, Export and coils methods are declared beside their records. */
export interface ApiMethods extends ReviewApiMethods, ExportApiMethods, CoilApiMethods, CompareApiMethods {
  getAppInfo(): Promise<AppInfo>
  /** A native folder dialog (Electron); null when cancelled or where there is none (web). */
  pickFolder(): Promise<string | null>
  /** Registers a folder as a source (or finds it) and scans its files; recorded in recent folders. */
  openFolder(input: { readonly path: string }): Promise<SourceSummary>
  listSources(): Promise<SourceSummary[]>
  listImages(input: ImageQuery): Promise<ImagePage>
  listRuns(): Promise<RunSummary[]>
  /** Model sets under the models root, each validated (schema, hashes, real ONNX signatures). */
  listModelSets(): Promise<ModelSetInfo[]>
  /** Adds a model-set folder from anywhere (kept in the settings) and returns it, validated: invalid sets are listed with every problem. */
  addModelSet(input: { readonly dir: string }): Promise<ModelSetInfo>
  /** Whether a source's images look like the images a model set was trained on; null when the set has no fingerprint. */
  checkFit(input: { readonly sourceId: number; readonly modelSetDir: string }): Promise<FitReport | null>
  startJob(input: { readonly sourceId: number; readonly modelSetDir: string; readonly provider: ProviderChoice }): Promise<JobView>
  /**
   * Sets a source to watch (new files are inspected as they complete, with this model set) or
   * stops watching it. A source another process watches cannot be watched here too.
   */
  setSourceWatch(input: { readonly sourceId: number; readonly isWatched: boolean; readonly modelSetDir: string | null; readonly provider: ProviderChoice }): Promise<SourceSummary>
  pauseJob(input: { readonly jobId: number }): Promise<JobView>
  resumeJob(input: { readonly jobId: number }): Promise<JobView>
  cancelJob(input: { readonly jobId: number }): Promise<JobView>
  listJobs(): Promise<JobView[]>
  getSettings(): Promise<Settings>
  /** Changes the given keys; resolves to every setting. */
  setSettings(input: Partial<Settings>): Promise<Settings>
}

export const API_EVENTS = ['jobProgress', 'queueChanged', 'imageFinished', 'sourcesChanged', 'commandRequested'] as const
export type ApiEvent = (typeof API_EVENTS)[number]

export interface ApiEventPayloads {
  jobProgress: JobView
  queueChanged: readonly JobView[]
  imageFinished: ImageFinishedEvent
  sourcesChanged: SourcesChangedEvent
  commandRequested: CommandRequest
}

export type Unsubscribe = () => void
export type SubscriptionName<E extends ApiEvent = ApiEvent> = `on${Capitalize<E>}`
export type ApiSubscriptions = {
  [E in ApiEvent as SubscriptionName<E>]: (listener: (payload: ApiEventPayloads[E]) => void) => Unsubscribe
}

/** What the renderer sees as window.coilscope. */
export interface CoilscopeApi extends ApiMethods, ApiSubscriptions {}

export type ApiInput<M extends ApiMethod> = Parameters<ApiMethods[M]>[0]
export type ApiOutput<M extends ApiMethod> = Awaited<ReturnType<ApiMethods[M]>>

/** How a call's outcome crosses a process boundary: errors as plain messages, never stacks. */
export type ApiResult<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

export const CHANNEL_PREFIX = 'coilscope:'
export const methodChannel = (method: ApiMethod): string => `${CHANNEL_PREFIX}${method}`
export const eventChannel = (event: ApiEvent): string => `${CHANNEL_PREFIX}event:${event}`
export const subscriptionName = <E extends ApiEvent>(event: E): SubscriptionName<E> =>
  `on${event[0].toUpperCase()}${event.slice(1)}` as SubscriptionName<E>

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name)
}

export function isApiEvent(name: unknown): name is ApiEvent {
  return typeof name === 'string' && (API_EVENTS as readonly string[]).includes(name)
}

// The lists and the interfaces name the same things: a method added to one but not the other fails
// to type-check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const methodsMatch: Same<ApiMethod, keyof ApiMethods> = true
const eventsMatch: Same<ApiEvent, keyof ApiEventPayloads> = true
void methodsMatch
void eventsMatch
