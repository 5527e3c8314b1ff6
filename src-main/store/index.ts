// The store's public face: one Store owns one SQLite connection (main is the single writer) and
// exposes the repositories. Nothing outside src-main/store sees SQL or better-sqlite3.
import type { Database } from 'better-sqlite3'
import { type Clock, systemClock } from './clock.ts'
import { MEMORY, openDatabase } from './db.ts'
import { userVersion } from './migrate.ts'
import { createCoilsRepo, type CoilsRepo } from './repos/coilsRepo.ts'
import { createCoilLinesRepo, type CoilLinesRepo } from './repos/coilLinesRepo.ts'
import { createDispositionRepo, type DispositionRepo } from './repos/dispositionRepo.ts'
import { createEditsRepo, type EditsRepo } from './repos/editsRepo.ts'
import { createImagesRepo, type ImagesRepo } from './repos/imagesRepo.ts'
import { createJobsRepo, type JobsRepo } from './repos/jobsRepo.ts'
import { createWatchRepo, type WatchRepo } from './repos/watchRepo.ts'
import { createImageTableRepo, type ImageTableRepo } from './repos/imageTableRepo.ts'
import { createMasksRepo, type MasksRepo } from './repos/masksRepo.ts'
import { createModelSetsRepo, type ModelSetsRepo } from './repos/modelSetsRepo.ts'
import { createPredictionsRepo, type PredictionsRepo } from './repos/predictionsRepo.ts'
import { createProfilesRepo, type ProfilesRepo } from './repos/profilesRepo.ts'
import { createSourceModelRepo, type SourceModelRepo } from './repos/sourceModelRepo.ts'
import { createReportRangeRepo, type ReportRangeRepo } from './repos/reportRangeRepo.ts'
import { createReviewQueueRepo, type ReviewQueueRepo } from './repos/reviewQueueRepo.ts'
import { createReviewsRepo, type ReviewsRepo } from './repos/reviewsRepo.ts'
import { createRunsRepo, type RunsRepo } from './repos/runsRepo.ts'
import { createSettingsRepo, type SettingsRepo } from './repos/settingsRepo.ts'
import { createSourcesRepo, type SourcesRepo } from './repos/sourcesRepo.ts'

export type * from './records.ts'
export { IMAGE_STATUSES, MASK_ORIGINS, REVIEW_STATUSES, RUN_KINDS, RUN_STATUSES } from './records.ts'
export type { CoilImageRecord, CoilInput, CoilRecord, CoilSettings, CoilsRepo } from './repos/coilsRepo.ts'
export type { DecisionInput, DecisionRecord, DispositionRepo, RuleSetRecord } from './repos/dispositionRepo.ts'
export type { EditInput, EditsRepo } from './repos/editsRepo.ts'
export type { ImagesRepo, ScanChange, ScannedImage } from './repos/imagesRepo.ts'
export type { ImageTableQuery, ImageTableRepo, ImageTableRow, SourceStatusCount } from './repos/imageTableRepo.ts'
export type { MasksRepo } from './repos/masksRepo.ts'
export { ACTIVE_JOB_STATES, type JobChange, type JobKind, type JobOwner, type JobRecord, type JobRowState, type JobsRepo } from './repos/jobsRepo.ts'
export type { WatchCounts, WatchedSource, WatchRepo } from './repos/watchRepo.ts'
export type { ModelSetInput, ModelSetsRepo } from './repos/modelSetsRepo.ts'
export type { PredictionInput, PredictionsRepo, SavedPrediction, SaveOutcome } from './repos/predictionsRepo.ts'
export type { ProfilesRepo, ProfileVersionRecord, RunProfileChoice } from './repos/profilesRepo.ts'
export type { SourceModelDecisionInput, SourceModelDecisionRecord, SourceModelRepo } from './repos/sourceModelRepo.ts'
export type { MarginProfile, MarginProgress, ReviewQueueRepo, ReviewQueueRow, ReviewWindowQuery } from './repos/reviewQueueRepo.ts'
export type { InspectedSpan, RangeCountRow, RangeImageRef, ReportRangeRepo } from './repos/reportRangeRepo.ts'
export type { ReviewInput, ReviewsRepo } from './repos/reviewsRepo.ts'
export type { ProviderOutcome, RunInput, RunSettings, RunsRepo } from './repos/runsRepo.ts'
export type { SettingsRepo } from './repos/settingsRepo.ts'
export type { SourcesRepo } from './repos/sourcesRepo.ts'
export { SCHEMA_VERSION } from './migrations/index.ts'
export { StoreOpenError } from './storeOpenError.ts'
export { MEMORY }

export interface StoreOptions {
  /** Source of timestamps (Unix ms); tests pin it. */
  readonly now?: Clock
  /** Open an existing, current database without writing to it (see openDatabase). */
  readonly readOnly?: boolean
  /** Page cache of this connection (SQLite's default is 2 MiB). */
  readonly cacheMiB?: number
  /** Whether this connection leaves checkpoints to `checkpoint()` calls (default: SQLite's after each commit past 1000 pages). */
  readonly checkpointsByHand?: boolean
}

export class Store {
  readonly path: string
  readonly sources: SourcesRepo
  readonly images: ImagesRepo
  /** The Library's paged, filtered and sorted view of a source's images. */
  readonly imageTable: ImageTableRepo
  readonly modelSets: ModelSetsRepo
  readonly runs: RunsRepo
  readonly predictions: PredictionsRepo
  readonly masks: MasksRepo
  readonly edits: EditsRepo
  readonly reviews: ReviewsRepo
  /** Review's queue, served as windows. */
  readonly reviewQueue: ReviewQueueRepo
  readonly settings: SettingsRepo
  readonly jobs: JobsRepo
  readonly watch: WatchRepo
  /** Coils of each source: grouping, geometry, membership in order. */
  readonly coils: CoilsRepo
  /** Each coil's last evaluated listing line, kept across hosts. */
  readonly coilLines: CoilLinesRepo
  /** Disposition rule sets and the inspectors' coil decisions. */
  readonly disposition: DispositionRepo
  /** Threshold profiles (versioned) and which version applies to each run. */
  readonly profiles: ProfilesRepo
  /** Which model set each source uses from now on, as decided after comparisons. */
  readonly sourceModels: SourceModelRepo
  /** A run's images by when they were inspected (the report over a time range). */
  readonly reportRange: ReportRangeRepo
  readonly #db: Database

  /** Opens (creating if needed) and migrates the database at `path`, or ':memory:'. */
  static open(path: string, options: StoreOptions = {}): Store {
    const db = openDatabase(path, undefined, { readOnly: options.readOnly })
    if (options.cacheMiB) db.pragma(`cache_size = -${Math.round(options.cacheMiB * 1024)}`)
    if (options.checkpointsByHand) db.pragma('wal_autocheckpoint = 0')
    return new Store(db, path, options.now ?? systemClock)
  }

  private constructor(db: Database, path: string, now: Clock) {
    this.#db = db
    this.path = path
    const masks = createMasksRepo(db, now)
    this.sources = createSourcesRepo(db, now)
    this.images = createImagesRepo(db)
    this.imageTable = createImageTableRepo(db)
    this.modelSets = createModelSetsRepo(db, now)
    this.runs = createRunsRepo(db, now)
    this.predictions = createPredictionsRepo(db, now, masks)
    this.masks = masks
    this.edits = createEditsRepo(db, now, masks)
    this.reviews = createReviewsRepo(db, now)
    this.reviewQueue = createReviewQueueRepo(db)
    this.settings = createSettingsRepo(db, now)
    this.jobs = createJobsRepo(db, now)
    this.watch = createWatchRepo(db, now)
    this.coils = createCoilsRepo(db, now)
    this.coilLines = createCoilLinesRepo(db)
    this.disposition = createDispositionRepo(db, now)
    this.profiles = createProfilesRepo(db, now)
    this.sourceModels = createSourceModelRepo(db, now)
    this.reportRange = createReportRangeRepo(db)
  }

  get schemaVersion(): number {
    return userVersion(this.#db)
  }

  get isOpen(): boolean {
    return this.#db.open
  }

  /**
   * Runs `work` atomically: if it throws, every write it made is rolled back and the error
   * rethrown. Repository writes inside compose (they nest as savepoints). `work` must be
   * synchronous: an await inside would commit before the awaited work ran.
   */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)()
  }

  /** `PRAGMA integrity_check` plus `foreign_key_check`: empty when the database is sound. */
  checkIntegrity(): string[] {
    const problems = (this.#db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .filter((line) => line !== 'ok')
    const orphans = this.#db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
    return [...problems, ...orphans.map((o) => `${o.table} row ${o.rowid} refers to a missing ${o.parent} row`)]
  }

  /** A number that changes whenever another connection commits (`PRAGMA data_version`). */
  get othersWriteVersion(): number {
    return this.#db.pragma('data_version', { simple: true }) as number
  }

  /** Copies the WAL's committed pages into the main file as far as readers allow, without waiting for anyone. */
  checkpoint(): void {
    if (!this.#db.memory && !this.#db.readonly) this.#db.pragma('wal_checkpoint(PASSIVE)')
  }

  /** Whether this connection refuses writes (opened read-only). */
  get isReadOnly(): boolean {
    return this.#db.readonly
  }

  /**
   * Checkpoints the WAL into the main file (unless a second connection that is not the library's
   * owner closes: `checkpoint: false`) and closes the connection. Safe to call twice.
   */
  close(options: { readonly checkpoint?: boolean } = {}): void {
    if (!this.#db.open) return
    try {
      if (!this.#db.memory && options.checkpoint !== false) this.#db.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // A full or read-only disk refuses the checkpoint; the WAL stays and is replayed on next open.
    } finally {
      this.#db.close()
    }
  }
}

/** Opens (creating if needed) and migrates the database at `path`, or ':memory:'. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  return Store.open(path, options)
}
