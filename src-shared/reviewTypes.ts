// What the Review screen reads and writes through the API (JSON-safe). Probability maps and the
// image itself come by URL (coilUrl.ts), never through these records.
import type { FitReport } from './imageFit.ts'
import type { ClassScore } from './metrics.ts'
import type { ThresholdProfile } from './thresholdProfile.ts'

export const REVIEW_STATUSES = ['unreviewed', 'accepted', 'rejected', 'flagged'] as const
export type ReviewStatusName = (typeof REVIEW_STATUSES)[number]

export const REVIEW_QUEUE_ORDERS = ['name', 'uncertainty', 'unreviewedFirst'] as const
export type ReviewQueueOrder = (typeof REVIEW_QUEUE_ORDERS)[number]
/**
 * The unreviewed-first order is sorted whole at each window (how far a review got follows no index
 * of a run's results): it is offered for queues up to this long.
 */
export const UNREVIEWED_FIRST_MAX = 20_000

/** What a search of the queue picks (the predicates: reviewSearch.ts). */
export const REVIEW_SEARCH_MATCHES = ['gatedOut', 'unreviewed'] as const
export type ReviewSearchMatch = (typeof REVIEW_SEARCH_MATCHES)[number]

export interface ReviewClassView {
  readonly classId: number
  readonly name: string
  readonly color: string
  /** 'human': the current revision is a person's and no longer follows the thresholds. */
  readonly origin: 'model' | 'human'
  readonly revision: number
  /** The human mask (RLE at image size) when origin is 'human'; '' otherwise. */
  readonly humanRle: string
  /** Highest stored probability of the class (0 when not segmented). */
  readonly maxProbability: number
}

export interface ReviewImageView {
  readonly imageId: number
  readonly sourceId: number
  readonly relativePath: string
  readonly width: number
  readonly height: number
  readonly warning: string | null
  readonly runId: number
  readonly predictionId: number
  /** Null when the model set has no classifier. */
  readonly gateProbability: number | null
  readonly gatePassed: boolean
  /** The run's own gate threshold (null without a classifier). */
  readonly runGateThreshold: number | null
  /** Model-resolution size of the stored maps; null when stage 2 did not run. */
  readonly mapSize: { readonly height: number; readonly width: number } | null
  /** A forced stage-2 result for this gated-out image, when one was made: its prediction. */
  readonly forced: { readonly runId: number; readonly predictionId: number; readonly mapSize: { readonly height: number; readonly width: number } } | null
  readonly classes: readonly ReviewClassView[]
  readonly review: { readonly status: ReviewStatusName; readonly author: string; readonly note: string; readonly atMs: number } | null
  readonly editCount: number
  /** Truth masks from truth.csv beside the images, RLE per class; null when there is none. */
  readonly truthRles: readonly string[] | null
  /** Why the truth file that is there is not used (file, line or image, and what is wrong). */
  readonly truthProblem?: string | null
}

export interface ReviewQueueItem {
  readonly imageId: number
  readonly relativePath: string
  readonly status: ReviewStatusName
  readonly gatePassed: boolean
  /** Smallest distance of a decision to its threshold (see uncertainty.ts); smaller = less certain. */
  readonly margin: number
  readonly hasHumanEdits: boolean
  /** The run's prediction of the image and whether it has probability maps: they load with the view. */
  readonly predictionId: number
  readonly hasProbMaps: boolean
}

/** A stretch of the review queue: where it starts, and how long the whole queue is. */
export interface ReviewQueueWindow {
  readonly total: number
  readonly from: number
  readonly items: readonly ReviewQueueItem[]
  /** Set while the uncertainty order under the thresholds in force is being prepared. */
  readonly preparing?: ReviewOrderPreparing | null
}

/** What an uncertainty window holds while the order under the thresholds in force is computed. */
export interface ReviewOrderPreparing {
  /**
   * 'previous': the order under the thresholds in force before (switched when the new one is
   * complete); 'partial': the images measured so far (newer results follow); 'file': file order.
   */
  readonly serving: 'previous' | 'partial' | 'file'
  /** How much of the run is measured under the thresholds in force, 0…100 (whole numbers). */
  readonly percent: number
}

export interface ReviewWindowInput {
  readonly runId: number
  readonly sourceId: number
  readonly order: ReviewQueueOrder
  /** The position of the window's first item in the queue. */
  readonly from: number
  readonly limit: number
  /** The item just before the window, when the caller has it: the window continues from it. */
  readonly afterImageId?: number | null
}

/** Where an image sits in the queue's order. */
export interface ReviewLocateInput {
  readonly runId: number
  readonly sourceId: number
  readonly order: ReviewQueueOrder
  readonly imageId: number
}

export interface ReviewSearchInput {
  readonly runId: number
  readonly sourceId: number
  readonly order: ReviewQueueOrder
  readonly match: ReviewSearchMatch
  /** The position the search starts at. */
  readonly from: number
  /** Matches wanted at most. */
  readonly limit: number
}

export interface ReviewSearchResult {
  readonly matches: readonly { readonly position: number; readonly item: ReviewQueueItem }[]
  readonly total: number
  /** The position the search stopped before: `total` when it reached the end, else where to go on. */
  readonly scannedTo: number
}

export interface RunMetricsView {
  readonly profile: ThresholdProfile
  /** Per class, over every image of the source in the run; null when the source has no truth. */
  readonly scores: readonly ClassScore[] | null
  /** Why the truth file that is there is not used; the scores are null then. */
  readonly truthProblem?: string | null
}

/** What the inspector deciding on a run's results is told about its model set. */
export interface ReviewRunContext {
  /** The manifest's provenance; null when the set's folder or its provenance is not found. */
  readonly trainedOn: string | null
  /** The set was trained on synthetic images only. */
  readonly synthetic: boolean
  /** Whether the source's images look like the set's training images; null without a fingerprint. */
  readonly fit: FitReport | null
}

/** The Review screen's methods of the API (part of CoilscopeApi). */
export interface ReviewApiMethods {
  getReviewImage(input: { readonly runId: number; readonly imageId: number }): Promise<ReviewImageView>
  /** The next `limit` items of the queue from a position (or after an item): the queue is only ever read in windows. */
  listReviewWindow(input: ReviewWindowInput): Promise<ReviewQueueWindow>
  /** Where an image sits in the queue (null: it has no result in the run). */
  locateInReviewQueue(input: ReviewLocateInput): Promise<number | null>
  /** The queue's next items that match from a position (a bounded stretch per call: go on from `scannedTo`). */
  searchReviewQueue(input: ReviewSearchInput): Promise<ReviewSearchResult>
  /** Up to `limit` unreviewed images of the run that match, by name: a batch to accept (the contact sheet). */
  listBatchCandidates(input: { readonly runId: number; readonly sourceId: number; readonly match: ReviewSearchMatch; readonly limit: number }): Promise<ReviewQueueItem[]>
  /** Queue items of the given images, in the order given (a queue ranked elsewhere, such as a comparison's). */
  listReviewItems(input: { readonly runId: number; readonly imageIds: readonly number[] }): Promise<ReviewQueueItem[]>
  /** One stroke (or fill, clear, accept, undo…) on one class: a new human revision. */
  saveMaskEdit(input: {
    readonly runId: number
    readonly imageId: number
    readonly classId: number
    readonly beforeRle: string
    readonly afterRle: string
    /** The class's revision the edit was made on (ReviewClassView.revision, then each save's answer); a newer one refuses it. */
    readonly baseRevision: number
    readonly tool: string
  }): Promise<{ readonly revision: number }>
  /** Hands a class back to the model: it follows the thresholds again. */
  revertToModel(input: { readonly runId: number; readonly imageId: number; readonly classId: number; readonly beforeRle: string; readonly baseRevision: number }): Promise<{ readonly revision: number }>
  setReview(input: { readonly imageId: number; readonly status: ReviewStatusName; readonly note: string }): Promise<void>
  /** The profile in force for the run and the run's own settings. */
  getRunProfile(input: { readonly runId: number }): Promise<{ readonly inForce: ThresholdProfile; readonly defaults: ThresholdProfile }>
  /** The run's model set as the inspector must know it: synthetic-only training, images unlike the training images. */
  getReviewRunContext(input: { readonly runId: number }): Promise<ReviewRunContext>
  listProfiles(): Promise<ThresholdProfile[]>
  saveProfile(input: { readonly profile: ThresholdProfile }): Promise<ThresholdProfile[]>
  /** Applies a saved profile to the whole run (null: back to the run's own settings). */
  applyProfile(input: { readonly runId: number; readonly name: string | null }): Promise<ThresholdProfile>
  getRunMetrics(input: { readonly runId: number; readonly sourceId: number; readonly profile: ThresholdProfile }): Promise<RunMetricsView>
  optimiseThresholds(input: { readonly runId: number; readonly sourceId: number; readonly profile: ThresholdProfile }): Promise<ThresholdProfile | null>
  /** Queues stage 2 for a gated-out image (a run of its own with the gate at 0); resolves when done. */
  forceStage2(input: { readonly runId: number; readonly imageId: number }): Promise<{ readonly runId: number; readonly predictionId: number }>
}
