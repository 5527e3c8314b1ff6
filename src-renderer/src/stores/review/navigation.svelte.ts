// Where the inspector is: the run and source in review, the queue in its order (read a page at a
// time: queuePages.svelte.ts), the position in it, and the image shown with its probability maps
// (the next and previous ones loaded ahead).
import type { ReviewApiMethods, ReviewImageView, ReviewOrderPreparing, ReviewQueueItem, ReviewQueueOrder, ReviewStatusName } from '../../../../src-shared/reviewTypes.ts'
import type { ReviewSearchMatch } from '../../../../src-shared/reviewTypes.ts'
import { ReviewImages, type LoadedImage, type ProbMapLoader } from '../reviewImages.svelte.ts'
import { rankedQueueFeed, runQueueFeed } from './queueFeeds.ts'
import { QueuePages } from './queuePages.svelte.ts'

/** How often a queue whose uncertainty order is being prepared asks how far it got. */
const PREPARING_POLL_MS = 2000

export class ReviewNavigation {
  runId = $state<number | null>(null)
  sourceId = $state<number | null>(null)
  order = $state<ReviewQueueOrder>('uncertainty')
  readonly queue = new QueuePages()
  position = $state(0)
  /** The ranking the queue follows instead of the run's order (a comparison's), if any. */
  ranking = $state.raw<readonly number[] | null>(null)
  view = $state.raw<ReviewImageView | null>(null)
  maps = $state.raw<Uint8Array | null>(null)
  isBusy = $state(false)
  /** While the uncertainty order under the thresholds in force is prepared: what the queue holds meanwhile. */
  preparing = $state.raw<ReviewOrderPreparing | null>(null)
  #poll: ReturnType<typeof setTimeout> | undefined

  readonly #api: ReviewApiMethods
  readonly #images: ReviewImages
  /** Told each time an image is shown (the edits and the sign-off start from it). */
  readonly #onShow: (view: ReviewImageView) => void

  constructor(api: ReviewApiMethods, loadMaps: ProbMapLoader, onShow: (view: ReviewImageView) => void) {
    this.#api = api
    this.#images = new ReviewImages(api, loadMaps)
    this.#onShow = onShow
  }

  get current(): ReviewQueueItem | null {
    return this.queue.at(this.position) ?? null
  }

  isOpen(runId: number, sourceId: number): boolean {
    return this.runId === runId && this.sourceId === sourceId && this.queue.total > 0
  }

  setRun(runId: number, sourceId: number): void {
    this.runId = runId
    this.sourceId = sourceId
  }

  async reloadQueue(): Promise<void> {
    if (this.runId === null || this.sourceId === null) return
    this.#images.forget()
    const keep = this.current?.imageId ?? this.view?.imageId
    const { runId, sourceId, order } = this
    this.ranking = null
    // The first page says how far the order is prepared: a page read after "complete" is the exact order.
    const { preparing } = await this.queue.reset(runQueueFeed(this.#api, runId, sourceId, order)).catch(async (error: unknown) => {
      if (order !== 'unreviewedFirst') throw error
      // Refused for a long queue (sorted whole): by uncertainty instead, and the screen says why.
      this.order = 'uncertainty'
      await this.reloadQueue()
      throw error
    })
    this.preparing = order === 'uncertainty' ? preparing : null
    this.position = keep === undefined ? 0 : ((await this.queue.locate(keep)) ?? 0)
    this.#followPreparation()
  }

  /** Goes through these images of the run in this order instead (a comparison's ranking), from the first. */
  async rank(imageIds: readonly number[]): Promise<void> {
    if (this.runId === null) return
    clearTimeout(this.#poll)
    this.#images.forget()
    this.ranking = imageIds
    this.preparing = null
    await this.queue.reset(rankedQueueFeed(this.#api, this.runId, imageIds))
    this.position = 0
  }

  /** While the order is prepared, asks how far it got; once complete, loads it (staying on the image shown). */
  #followPreparation(): void {
    clearTimeout(this.#poll)
    if (!this.preparing) return
    const { runId, sourceId, order } = this
    this.#poll = setTimeout(async () => {
      if (runId === null || sourceId === null || runId !== this.runId || sourceId !== this.sourceId || order !== this.order) return
      const { preparing } = await this.#api.listReviewWindow({ runId, sourceId, order, from: 0, limit: 1 })
      if (preparing) {
        this.preparing = preparing
        this.#followPreparation()
      } else {
        await this.reloadQueue()
      }
    }, PREPARING_POLL_MS)
  }

  async setOrder(order: ReviewQueueOrder): Promise<void> {
    this.order = order
    await this.reloadQueue()
  }

  async go(position: number): Promise<void> {
    const { runId, queue } = this
    if (runId === null || queue.total === 0) return
    const target = Math.max(0, Math.min(queue.total - 1, position))
    this.position = target
    const item = await queue.ensure(target)
    if (!item || this.position !== target) return // moved on while its page was read
    const loaded = await this.#images.take(runId, item.imageId, mapsOf(item))
    if (this.queue.at(this.position)?.imageId !== item.imageId) return // moved on while this one loaded
    this.#show(loaded)
    // The next and previous images are loaded while this one is looked at.
    const around = await Promise.all([target + 1, target - 1].map((p) => queue.ensure(p)))
    if (this.position !== target) return
    this.#images.prefetch(runId, around.flatMap((q) => (q ? [{ imageId: q.imageId, mapsOf: mapsOf(q) }] : [])))
  }

  async goTo(imageId: number | null): Promise<void> {
    const position = imageId === null ? null : await this.queue.locate(imageId)
    await this.go(position ?? 0)
  }

  next = () => this.go(this.position + 1)
  previous = () => this.go(this.position - 1)

  /** The next unreviewed image after this one, from the start again past the end (found on the host). */
  async nextUnreviewed(): Promise<void> {
    const start = this.position + 1
    const found = (await this.queue.find('unreviewed', start, this.queue.total)) ?? (await this.queue.find('unreviewed', 0, start))
    if (found !== null) await this.go(found)
  }

  /** Up to `limit` unreviewed images of the run that match, by name: a batch to accept. */
  async batchCandidates(match: ReviewSearchMatch, limit: number): Promise<ReviewQueueItem[]> {
    const { runId, sourceId } = this
    if (runId === null || sourceId === null) return []
    return this.#api.listBatchCandidates({ runId, sourceId, match, limit })
  }

  /** The queue says what was decided, without loading it again. */
  markStatus(imageIds: ReadonlySet<number>, status: ReviewStatusName): void {
    this.queue.patch(imageIds, (q) => ({ ...q, status }))
  }

  markEdited(imageId: number): void {
    this.queue.patch(new Set([imageId]), (q) => ({ ...q, hasHumanEdits: true }))
  }

  /** Forgets what was loaded ahead (reviews or masks changed elsewhere). */
  forgetAhead(): void {
    this.#images.forget()
  }

  /** Runs stage 2 for the image shown (the gate turned it away) and shows its new result. */
  async forceStage2(): Promise<void> {
    const view = this.view
    if (!view || this.runId === null) return
    this.isBusy = true
    try {
      await this.#api.forceStage2({ runId: this.runId, imageId: view.imageId })
      this.#show(await this.#images.fetch(this.runId, view.imageId))
    } finally {
      this.isBusy = false
    }
  }

  #show({ view, maps }: LoadedImage): void {
    this.#onShow(view)
    this.maps = maps
    this.view = view
  }
}

/** The prediction whose maps an item has, so they load with its view. */
const mapsOf = (item: ReviewQueueItem): number | null => (item.hasProbMaps ? item.predictionId : null)
