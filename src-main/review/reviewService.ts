// The Review screen's server side: reads an image's review state, orders the review queue, and
// keeps per-run metric counts in memory so slider moves cost microseconds, not map reads.
import {
  UNREVIEWED_FIRST_MAX,
  type ReviewClassView,
  type ReviewImageView,
  type ReviewLocateInput,
  type ReviewOrderPreparing,
  type ReviewQueueItem,
  type ReviewQueueOrder,
  type ReviewQueueWindow,
  type ReviewSearchMatch,
  type ReviewSearchInput,
  type ReviewSearchResult,
  type ReviewWindowInput,
  type RunMetricsView,
} from '../../src-shared/reviewTypes.ts'
import { REVIEW_SEARCH } from '../../src-shared/reviewSearch.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { Store } from '../store/index.ts'
import { INLINE_ROWS, preparingNote, settleOrderIfWritable } from './reviewOrder.ts'
import { buildRunCounts, optimiseRun, scoreRun, type RunCounts } from './runMetrics.ts'
import { decodeRle } from '../../src-shared/rle.ts'
import { truthLocator, TruthProblem } from './truth.ts'

/** Items a search reads in its first window, per window at most, and per call at most. */
const SEARCH_FIRST_PAGE = 25
const SEARCH_PAGE = 500
const SEARCH_ROWS = 20_000

export class ReviewService {
  readonly #store: Store
  readonly #counts = new Map<string, { counts: RunCounts | null; truthProblem: string | null }>()
  /** Margins a window computes before answering; more are left to the background. */
  readonly #inlineRows: number
  readonly #unreviewedFirstMax: number

  constructor(store: Store, options: { readonly inlineRows?: number; readonly unreviewedFirstMax?: number } = {}) {
    this.#store = store
    this.#inlineRows = options.inlineRows ?? INLINE_ROWS
    this.#unreviewedFirstMax = options.unreviewedFirstMax ?? UNREVIEWED_FIRST_MAX
  }

  getImage(runId: number, imageId: number): ReviewImageView {
    const store = this.#store
    const image = store.images.get(imageId)
    const prediction = store.predictions.get(runId, imageId)
    const run = store.runs.get(runId)
    if (!image || !prediction || !run || image.width === null || image.height === null) throw new Error(`image ${imageId} has no result in run ${runId}`)
    const modelSet = store.modelSets.get(run.modelSetId)!
    const classes: ReviewClassView[] = modelSet.classes.map((c) => {
      const current = store.masks.current(imageId, c.id)
      const stat = prediction.classStats.find((s) => s.classId === c.id)
      return {
        classId: c.id,
        name: c.name,
        color: c.color,
        origin: current?.origin ?? 'model',
        revision: current?.revision ?? 0,
        humanRle: current?.origin === 'human' ? current.rle : '',
        maxProbability: stat?.maxProbability ?? 0,
      }
    })
    const review = store.reviews.current(imageId)
    const source = store.sources.get(image.sourceId)!
    const { truthRles, truthProblem } = truthFor(source.folderPath, image.relativePath, classes, image)
    return {
      imageId,
      sourceId: image.sourceId,
      relativePath: image.relativePath,
      width: image.width,
      height: image.height,
      warning: image.warning,
      runId,
      predictionId: prediction.id,
      gateProbability: prediction.gateProbability,
      gatePassed: prediction.gatePassed,
      runGateThreshold: run.gateThreshold,
      mapSize: prediction.probMapShape && { height: prediction.probMapShape.height, width: prediction.probMapShape.width },
      forced: prediction.gatePassed ? null : this.#forcedResult(run.modelSetId, imageId),
      classes,
      review: review ? { status: review.status, author: review.author, note: review.note, atMs: review.createdAtMs } : null,
      editCount: store.edits.listForImage(imageId).length,
      truthRles,
      truthProblem,
    }
  }

  /** The images of a source with a result in the run, in review order (the whole queue: short sources only). */
  queue(runId: number, sourceId: number, order: ReviewQueueOrder): ReviewQueueItem[] {
    const { total } = this.window({ runId, sourceId, order, from: 0, limit: 0 })
    return this.window({ runId, sourceId, order, from: 0, limit: total }).items as ReviewQueueItem[]
  }

  /**
   * The next `limit` images of the queue from position `from`, or right after `afterImageId` when
   * given (the item before the window): one statement along the order's index. It never waits for
   * a whole run's margins: while they are prepared it serves what there is, and says so.
   */
  window(input: ReviewWindowInput): ReviewQueueWindow {
    const { order, preparing } = this.#servedOrder(input.runId, input.order)
    const { total, rows } = this.#store.reviewQueue.window({ ...input, order, offset: input.from })
    return { total, from: input.from, items: rows, ...(preparing ? { preparing } : {}) }
  }

  /** Where an image sits in the queue as windows serve it now; null when it has no result in the run. */
  locate(input: ReviewLocateInput): number | null {
    const { order } = this.#servedOrder(input.runId, input.order)
    return this.#store.reviewQueue.position({ ...input, order })
  }

  /**
   * The queue's items that match, in queue order from position `from`, at most `limit`; it reads
   * at most `SEARCH_ROWS` items per call and says where it stopped, so a caller that needs more
   * asks again from there (a million reviewed images are never read in one call).
   */
  search(input: ReviewSearchInput): ReviewSearchResult {
    const { matches } = REVIEW_SEARCH[input.match]
    const found: { position: number; item: ReviewQueueItem }[] = []
    let position = input.from
    let after: number | null = null
    let total = 0
    // The order is settled once: the windows of one search read the same order.
    const { order } = this.#servedOrder(input.runId, input.order)
    // Small windows first: the next unreviewed image is most often a few rows on.
    for (let page = SEARCH_FIRST_PAGE; found.length < input.limit && position - input.from < SEARCH_ROWS; page = Math.min(SEARCH_PAGE, page * 4)) {
      const window = this.#store.reviewQueue.window({ ...input, order, offset: position, limit: page, afterImageId: after })
      total = window.total
      const items = window.rows
      for (const [k, item] of items.entries()) {
        if (found.length < input.limit && matches(item)) found.push({ position: position + k, item })
      }
      const last = found.length === input.limit ? found.at(-1)!.position + 1 : position + items.length
      if (items.length < page || found.length === input.limit) return { matches: found, total, scannedTo: Math.min(last, total) }
      position = last
      after = items.at(-1)!.imageId
    }
    return { matches: found, total, scannedTo: position }
  }

  /**
   * Images to accept in a batch: up to `limit` unreviewed ones of the run that match, by name (the
   * gated-out ones sit at the end of the uncertainty order: they are not searched for along it).
   */
  batchCandidates(input: { readonly runId: number; readonly sourceId: number; readonly match: ReviewSearchMatch; readonly limit: number }): ReviewQueueItem[] {
    const { matches } = REVIEW_SEARCH[input.match]
    return this.#store.reviewQueue.unreviewed({ ...input, gatedOutOnly: input.match === 'gatedOut' }).filter(matches)
  }

  /** Queue items of the given images in the run, in that order (for a queue ranked elsewhere, such as a comparison's). */
  items(runId: number, imageIds: readonly number[]): ReviewQueueItem[] {
    return this.#store.reviewQueue.items(runId, imageIds)
  }

  /** The order windows are served in now: file order while no uncertainty order is prepared, and what the window says of it. */
  #servedOrder(runId: number, asked: ReviewQueueOrder): { order: ReviewQueueOrder; preparing: ReviewOrderPreparing | null } {
    if (asked === 'unreviewedFirst') {
      const results = this.#store.runs.predictionCount(runId)
      const most = this.#unreviewedFirstMax
      if (results > most) throw new Error(`the unreviewed-first order is sorted whole, and this run has ${results.toLocaleString('en')} results (at most ${most.toLocaleString('en')}): go through it by uncertainty or by name, with N for the next unreviewed image`)
    }
    const progress = settleOrderIfWritable(this.#store, runId, this.#inlineRows)
    const preparing = asked === 'uncertainty' ? preparingNote(progress) : null
    return { order: preparing?.serving === 'file' ? 'name' : asked, preparing }
  }

  metrics(runId: number, sourceId: number, profile: ThresholdProfile): RunMetricsView {
    const { counts, truthProblem } = this.#countsFor(runId, sourceId)
    return { profile, scores: counts ? scoreRun(counts, profile) : null, truthProblem }
  }

  /** Per-class thresholds with the best Dice against the truth; null without truth. */
  optimise(runId: number, sourceId: number, profile: ThresholdProfile): ThresholdProfile | null {
    const { counts } = this.#countsFor(runId, sourceId)
    return counts && optimiseRun(counts, profile)
  }

  /** Forget cached counts (after a run gains results). */
  invalidate(runId: number): void {
    for (const key of this.#counts.keys()) if (key.startsWith(`${runId}:`)) this.#counts.delete(key)
  }

  #countsFor(runId: number, sourceId: number): { counts: RunCounts | null; truthProblem: string | null } {
    const key = `${runId}:${sourceId}`
    const known = this.#counts.get(key)
    if (known) return known
    const built = this.#buildCounts(runId, sourceId)
    if (built.truthProblem === null) this.#counts.set(key, built) // a truth file being fixed is read again
    return built
  }

  /** The run's counts against the truth; none, with the reason, when the truth cannot be used. */
  #buildCounts(runId: number, sourceId: number): { counts: RunCounts | null; truthProblem: string | null } {
    try {
      return { counts: buildRunCounts(this.#store, runId, sourceId), truthProblem: null }
    } catch (error) {
      if (error instanceof TruthProblem) return { counts: null, truthProblem: error.message }
      throw error
    }
  }

  /** The newest prediction of this image, under the same model set, that ran stage 2 with the gate forced. */
  #forcedResult(modelSetId: number, imageId: number): ReviewImageView['forced'] {
    const runs = this.#store.runs.list().filter((r) => r.modelSetId === modelSetId && r.kind === 'forced').reverse()
    for (const run of runs) {
      const prediction = this.#store.predictions.get(run.id, imageId)
      if (prediction?.gatePassed && prediction.probMapShape) {
        const { height, width } = prediction.probMapShape
        return { runId: run.id, predictionId: prediction.id, mapSize: { height, width } }
      }
    }
    return null
  }
}

/** One image's truth masks per class, if the truth that covers it can be used and fits the image. */
function truthFor(
  folder: string,
  relativePath: string,
  classes: readonly { classId: number }[],
  size: { height: number | null; width: number | null },
): { truthRles: string[] | null; truthProblem: string | null } {
  const truth = truthLocator(folder)(relativePath)
  if (!truth.rows) return { truthRles: null, truthProblem: truth.problem }
  const rows = truth.rows
  const truthRles = classes.map((c) => rows.find((t) => t.classId === c.classId)?.rle ?? '')
  for (const [k, rle] of truthRles.entries()) {
    try {
      decodeRle(rle, size.height ?? 0, size.width ?? 0)
    } catch (error) {
      return { truthRles: null, truthProblem: `${truth.file}: ${truth.key} class ${classes[k].classId}: ${(error as Error).message}` }
    }
  }
  return { truthRles, truthProblem: null }
}
