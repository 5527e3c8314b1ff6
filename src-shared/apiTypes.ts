// The records that cross the API between main and the renderer: plain, readonly, JSON-safe data.
// Binary data never travels here; it is served by URL (see coilUrl.ts).

export const IMAGE_STATUSES = ['pending', 'done', 'failed', 'skipped'] as const
export type ImageStatus = (typeof IMAGE_STATUSES)[number]

import type { ProviderChoice } from './providers.ts'
export { PROVIDER_CHOICES, type ProviderChoice } from './providers.ts'

import type { WatchHealth } from './watchHealth.ts'
export type { WatchHealth } from './watchHealth.ts'

/** `interrupted`: its process died (or closed) before it finished; it can be resumed. */
export const JOB_STATES = ['pending', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const
export type JobState = (typeof JOB_STATES)[number]

/** A job in one of these states will not run again. */
export function isFinishedState(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled'
}

export const THEMES = ['light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

/** The Library's review filter: an image's latest review status, or any class's current mask is a person's. */
export const REVIEW_FILTERS = ['unreviewed', 'accepted', 'rejected', 'flagged', 'edited'] as const
export type ReviewFilter = (typeof REVIEW_FILTERS)[number]

export const IMAGE_SORT_KEYS = ['name', 'status', 'gateProbability', 'defectArea'] as const
export type ImageSortKey = (typeof IMAGE_SORT_KEYS)[number]

export interface AppInfo {
  readonly version: string
  /** Which front door serves the renderer. */
  readonly host: 'electron' | 'web'
  readonly platform: string
  /** Whether pickFolder can show a native dialog (Electron) or the user types a path (web). */
  readonly canPickFolder: boolean
  /** Prefix of binary URLs: 'coil://' in Electron, '/coil/' on the web host. */
  readonly resourceBase: string
  readonly databasePath: string
  /** Where model sets are looked for when settings.modelsRoot is null. */
  readonly defaultModelsRoot: string
}

export interface ClassInfo {
  readonly id: number
  readonly name: string
  readonly color: string
}

export type StatusCounts = { readonly [S in ImageStatus]: number } & { readonly total: number }

export interface SourceSummary {
  readonly id: number
  readonly folderPath: string
  /** The folder's own name, for lists. */
  readonly name: string
  readonly addedAtMs: number
  readonly counts: StatusCounts
  /** The run of the source's newest prediction; null before any. */
  readonly latestRunId: number | null
  /** The folder is gone from disk. */
  readonly isMissing: boolean
  /** Null when the source is not watched and never was. */
  readonly watch: SourceWatchView | null
}

/** A watched source as the Library shows it: who watches it now, and whether inspection keeps up. */
export interface SourceWatchView {
  /** Set to watch in this library (the app resumes it when the library is opened). */
  readonly isWatched: boolean
  /** 'here': this app watches it; 'elsewhere': another process (e.g. `coilscope watch`); 'none': nobody now. */
  readonly watcher: 'here' | 'elsewhere' | 'none'
  readonly jobId: number | null
  readonly modelSetDir: string | null
  readonly health: WatchHealth
}

export interface ImageFilter {
  /** Any of these; empty = all. */
  readonly statuses: readonly ImageStatus[]
  /** Images with a non-empty mask of any of these classes; empty = no class filter. */
  readonly classIds: readonly number[]
  /** Inclusive bounds of the gate probability; null = open. */
  readonly gateMin: number | null
  readonly gateMax: number | null
  /** true: only images with an error; false: only without; null: both. */
  readonly hasError: boolean | null
  /** Only images in this review state; absent or null = any. */
  readonly review?: ReviewFilter | null
}

export interface ImageQuery {
  readonly sourceId: number
  /** The run whose results are shown; null = the source's latest run. */
  readonly runId: number | null
  readonly offset: number
  readonly limit: number
  readonly sort: { readonly key: ImageSortKey; readonly isDescending: boolean }
  readonly filter: ImageFilter
  /** The id of the row just before `offset` when the caller has it: the page continues from it along the index. */
  readonly afterImageId?: number | null
}

export interface ImageRow {
  readonly id: number
  /** Path relative to the source folder. */
  readonly name: string
  readonly status: ImageStatus
  readonly error: string | null
  readonly warning: string | null
  readonly width: number | null
  readonly height: number | null
  /** Null until the shown run has a result for the image. */
  readonly predictionId: number | null
  readonly gateProbability: number | null
  readonly gatePassed: boolean | null
  /** Mask area at image size per class, in class order; null without a prediction. */
  readonly classAreasPx: readonly number[] | null
  readonly defectAreaPx: number | null
  /** The status of the image's latest review ('unreviewed' when it has none). */
  readonly reviewStatus: 'unreviewed' | 'accepted' | 'rejected' | 'flagged'
  /** Some class's current mask is a person's. */
  readonly isEdited: boolean
}

export interface ImagePage {
  readonly sourceId: number
  /** The run shown (null: the source has no results yet). */
  readonly runId: number | null
  /** The shown run's classes, for chips and filters. */
  readonly classes: readonly ClassInfo[]
  /** Images matching the filter. */
  readonly total: number
  readonly offset: number
  readonly rows: readonly ImageRow[]
}

export interface RunSummary {
  readonly id: number
  /** The folder the run inspected (null only for a run from before runs had one). */
  readonly sourceId?: number | null
  /** 'forced': stage 2 forced on images the gate left out. */
  readonly kind?: 'gated' | 'forced'
  readonly modelSet: { readonly manifestId: string; readonly version: string }
  readonly classes: readonly ClassInfo[]
  readonly status: JobState
  readonly providerRequested: string
  readonly providerUsed: string | null
  readonly providerFallbackReason: string | null
  readonly gateThreshold: number | null
  readonly tta: readonly string[]
  readonly appVersion: string
  readonly ortVersion: string | null
  readonly startedAtMs: number
  readonly finishedAtMs: number | null
  readonly predictionCount: number
}

export interface ModelSetInfo {
  /** The set's folder; startJob takes it back. */
  readonly dir: string
  readonly isValid: boolean
  /** From the manifest, when it could be read. */
  readonly id: string | null
  readonly version: string | null
  readonly name: string | null
  readonly description: string
  readonly classes: readonly ClassInfo[]
  readonly classifiers: readonly string[]
  readonly segmenters: readonly string[]
  /** Why the set cannot be used (schema, hashes, ONNX signatures), one line each. */
  readonly problems: readonly string[]
  /** What the set was trained on (its manifest's provenance), when recorded. */
  readonly trainedOn: string | null
  /** Keys `coilscope models init` guessed that nobody has confirmed yet. */
  readonly unconfirmed: readonly string[]
  /** Each member's real inputs and outputs and how the manifest maps them, as text ('' when unreadable). */
  readonly signature: string
  /** An int8 set's origin, members kept float and measured parity, one line each (absent for a float set). */
  readonly quantization?: readonly string[]
}

export interface JobProgress {
  readonly done: number
  readonly total: number
  readonly errors: number
  readonly imagesPerSecond: number
  readonly etaSeconds: number | null
}

export interface JobView {
  readonly id: number
  readonly state: JobState
  readonly sourceId: number | null
  readonly folder: string
  readonly modelSetDir: string
  readonly provider: ProviderChoice
  readonly runId: number | null
  /** The provider that actually runs, and why it is not the one asked for. */
  readonly providerUsed: string | null
  readonly providerFallbackReason: string | null
  readonly progress: JobProgress
  /** What the folder scan set aside; null until scanned. */
  readonly scan: { readonly failed: number; readonly skipped: number; readonly duplicates: number } | null
  /** Why the job failed. */
  readonly message: string | null
}

export interface ImageFinishedEvent {
  readonly jobId: number
  readonly sourceId: number | null
  readonly imageId: number
  readonly ok: boolean
  readonly error: string | null
  readonly warning: string | null
  readonly gatedIn: boolean | null
  readonly classAreasPx: readonly number[] | null
}

export interface SourcesChangedEvent {
  /** The source added or opened, to select it; null when only counts changed. */
  readonly openedSourceId: number | null
}

/**
 * Commands from outside the page (the application menu) for the renderer to carry out, so a menu
 * item and the button it mirrors take the same path: 'openFolder' asks for a folder, 'openPath'
 * opens the given one (Open Recent).
 */
export const APP_COMMANDS = ['openFolder', 'openPath', 'showLibrary', 'showReview', 'showExport', 'showCompare', 'showShortcuts'] as const
export type AppCommand = (typeof APP_COMMANDS)[number]

export interface CommandRequest {
  readonly command: AppCommand
  /** For 'openPath'. */
  readonly path: string | null
}

export interface WindowBounds {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly isMaximized: boolean
}

export interface Settings {
  readonly theme: Theme
  /** Folder holding model-set folders; null = AppInfo.defaultModelsRoot. */
  readonly modelsRoot: string | null
  /** Recorded with reviews and edits. */
  readonly authorName: string
  readonly windowBounds: WindowBounds | null
  /** Most recent first. */
  readonly recentFolders: readonly string[]
  readonly lastModelSetDir: string | null
  readonly provider: ProviderChoice
  /** Model-set folders added from outside the models root ("Add model set…"). */
  readonly extraModelSetDirs: readonly string[]
}
