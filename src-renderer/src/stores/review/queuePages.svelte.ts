// Review's queue read a page at a time: a source's queue may hold a million images, so the screen
// never holds it whole. Pages are read when a position is gone to or a stretch of the list comes
// into view, each continuing after the page before it when that one is known (the host then reads
// on along its index instead of skipping rows); the pages farthest from the last one asked for are
// let go, so what is kept stays bounded however long the shift.
import { SvelteMap } from 'svelte/reactivity'
import type { ReviewOrderPreparing, ReviewQueueItem, ReviewSearchResult } from '../../../../src-shared/reviewTypes.ts'
import type { ReviewSearchMatch } from '../../../../src-shared/reviewTypes.ts'

/** Where a queue's items come from: the run's own order from the host, or a ranking made elsewhere. */
export interface QueueFeed {
  /** At most `limit` items from position `from` (`afterImageId`: the item just before, when known), and the queue's length now. */
  read(from: number, limit: number, afterImageId: number | null): Promise<{ readonly total: number; readonly items: readonly ReviewQueueItem[]; readonly preparing?: ReviewOrderPreparing | null }>
  /** Where an image sits in the queue; null when it is not in it. */
  locate(imageId: number): Promise<number | null>
  /** The next matching items from `from`: a bounded stretch per call, going on from `scannedTo`. */
  search(match: ReviewSearchMatch, from: number, limit: number): Promise<ReviewSearchResult>
}

export const PAGE_SIZE = 100
/** Pages kept at most (a few thousand items). */
const KEPT_PAGES = 40

export class QueuePages {
  /** How many images the queue holds (as of the last page read). */
  total = $state(0)
  readonly #pages = new SvelteMap<number, readonly ReviewQueueItem[]>()
  readonly #reading = new Map<number, Promise<void>>()
  #feed: QueueFeed | null = null
  /** Raised at each reset: a page read for an earlier queue is dropped. */
  #generation = 0
  #lastAsked = 0

  get feed(): QueueFeed | null {
    return this.#feed
  }

  /** Starts over on another queue (or the same one read again); reads its first page and says what it holds. */
  async reset(feed: QueueFeed): Promise<{ preparing: ReviewOrderPreparing | null }> {
    this.#feed = feed
    this.#generation++
    this.#pages.clear()
    this.#reading.clear()
    const first = await feed.read(0, PAGE_SIZE, null)
    if (this.#feed !== feed) return { preparing: null }
    this.total = first.total
    this.#pages.set(0, first.items)
    return { preparing: first.preparing ?? null }
  }

  /** The item at a position, if its page is read. */
  at(position: number): ReviewQueueItem | undefined {
    return this.#pages.get(Math.floor(position / PAGE_SIZE))?.[position % PAGE_SIZE]
  }

  /** The item at a position, its page read first when needed. */
  async ensure(position: number): Promise<ReviewQueueItem | undefined> {
    if (position < 0 || position >= this.total) return undefined
    await this.#read(Math.floor(position / PAGE_SIZE))
    return this.at(position)
  }

  /** Has the pages of a stretch (the list's rows in view) read, without waiting for them. */
  request(from: number, count: number): void {
    const last = Math.min(this.total - 1, from + count - 1)
    for (let page = Math.floor(Math.max(0, from) / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) void this.#read(page).catch(() => undefined)
  }

  /** Where an image sits: among the pages read, else asked of the feed. */
  async locate(imageId: number): Promise<number | null> {
    for (const [page, items] of this.#pages) {
      const k = items.findIndex((item) => item.imageId === imageId)
      if (k >= 0) return page * PAGE_SIZE + k
    }
    return (await this.#feed?.locate(imageId)) ?? null
  }

  /**
   * The first position in [from, until) whose item matches, searched on the host a stretch at a
   * time; null when none does.
   */
  async find(match: ReviewSearchMatch, from: number, until: number): Promise<number | null> {
    const feed = this.#feed
    let at = from
    while (feed && at < until) {
      const result = await feed.search(match, at, 1)
      const found = result.matches[0]?.position
      if (found !== undefined) return found < until ? found : null
      if (result.scannedTo >= result.total || result.scannedTo <= at) return null
      at = result.scannedTo
    }
    return null
  }

  /** The items read from the start on, as far as they run without a gap (a short queue: all of it). */
  loaded(): ReviewQueueItem[] {
    const items: ReviewQueueItem[] = []
    for (let page = 0; this.#pages.has(page); page++) items.push(...this.#pages.get(page)!)
    return items
  }

  /** Changes the items of these images in the pages read (a decision or an edit made on the screen). */
  patch(imageIds: ReadonlySet<number>, change: (item: ReviewQueueItem) => ReviewQueueItem): void {
    for (const [page, items] of this.#pages) {
      if (items.some((item) => imageIds.has(item.imageId))) this.#pages.set(page, items.map((item) => (imageIds.has(item.imageId) ? change(item) : item)))
    }
  }

  async #read(page: number): Promise<void> {
    this.#lastAsked = page
    if (this.#pages.has(page)) return
    const reading = this.#reading.get(page)
    if (reading) return reading
    const feed = this.#feed
    if (!feed) return
    const generation = this.#generation
    const afterImageId = this.#pages.get(page - 1)?.at(-1)?.imageId ?? null
    const started = feed.read(page * PAGE_SIZE, PAGE_SIZE, afterImageId).then((result) => {
      if (generation !== this.#generation) return
      this.total = result.total
      this.#pages.set(page, result.items)
      this.#letGo()
    })
    this.#reading.set(page, started)
    try {
      await started
    } finally {
      if (this.#reading.get(page) === started) this.#reading.delete(page)
    }
  }

  /** Lets go of the pages farthest from the last one asked for, beyond what is kept. */
  #letGo(): void {
    if (this.#pages.size <= KEPT_PAGES) return
    const farthest = [...this.#pages.keys()].sort((a, b) => Math.abs(b - this.#lastAsked) - Math.abs(a - this.#lastAsked))
    for (const page of farthest.slice(0, this.#pages.size - KEPT_PAGES)) this.#pages.delete(page)
  }
}
