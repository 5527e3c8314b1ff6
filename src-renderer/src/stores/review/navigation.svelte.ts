// Where the inspector is: the run and source in review, the queue in its order, the position in it,
// and the image shown with its probability maps (the next and previous ones loaded ahead).
import type { ReviewApiMethods, ReviewImageView, ReviewOrderPreparing, ReviewQueueItem, ReviewQueueOrder, ReviewStatusName } from '../../../../src-shared/reviewTypes.ts'
import { ReviewImages, type LoadedImage, type ProbMapLoader } from '../reviewImages.svelte.ts'

/** How often a queue whose uncertainty order is being prepared asks how far it got. */
const PREPARING_POLL_MS = 2000

export class ReviewNavigation {
  runId = $state<number | null>(null)
  sourceId = $state<number | null>(null)
  order = $state<ReviewQueueOrder>('uncertainty')
  queue = $state.raw<ReviewQueueItem[]>([])
  position = $state(0)
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
    return this.queue[this.position] ?? null
  }

  isOpen(runId: number, sourceId: number): boolean {
    return this.runId === runId && this.sourceId === sourceId && this.queue.length > 0
  }

  setRun(runId: number, sourceId: number): void {
    this.runId = runId
    this.sourceId = sourceId
  }

  async reloadQueue(): Promise<void> {
    if (this.runId === null || this.sourceId === null) return
    this.#images.forget()
    const keep = this.current?.imageId
    const { runId, sourceId, order } = this
    // Asked before the queue: a queue read after "complete" is the exact order.
    this.preparing = order === 'uncertainty' ? ((await this.#api.listReviewWindow({ runId, sourceId, order, from: 0, limit: 1 })).preparing ?? null) : null
    this.queue = await this.#api.listReviewQueue({ runId, sourceId, order })
    const index = this.queue.findIndex((q) => q.imageId === keep)
    this.position = index >= 0 ? index : 0
    this.#followPreparation()
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
    if (this.runId === null || this.queue.length === 0) return
    this.position = Math.max(0, Math.min(this.queue.length - 1, position))
    const item = this.queue[this.position]
    const loaded = await this.#images.take(this.runId, item.imageId, mapsOf(item))
    if (this.queue[this.position]?.imageId !== item.imageId) return // moved on while this one loaded
    this.#show(loaded)
    // The next and previous images are loaded while this one is looked at.
    this.#images.prefetch(this.runId!, [this.position + 1, this.position - 1].flatMap((p) => (this.queue[p] ? [{ imageId: this.queue[p].imageId, mapsOf: mapsOf(this.queue[p]) }] : [])))
  }

  async goTo(imageId: number | null): Promise<void> {
    await this.go(Math.max(0, this.queue.findIndex((q) => q.imageId === imageId)))
  }

  next = () => this.go(this.position + 1)
  previous = () => this.go(this.position - 1)

  async nextUnreviewed(): Promise<void> {
    const start = this.position + 1
    const offset = [...this.queue.slice(start), ...this.queue.slice(0, start)].findIndex((q) => q.status === 'unreviewed')
    if (offset >= 0) await this.go((start + offset) % this.queue.length)
  }

  /** The queue says what was decided, without loading it again. */
  markStatus(imageIds: ReadonlySet<number>, status: ReviewStatusName): void {
    this.queue = this.queue.map((q) => (imageIds.has(q.imageId) ? { ...q, status } : q))
  }

  markEdited(imageId: number): void {
    this.queue = this.queue.map((q) => (q.imageId === imageId ? { ...q, hasHumanEdits: true } : q))
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
