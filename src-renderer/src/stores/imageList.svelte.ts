// A source's images for the virtualised list: the query (sort and filters), the total, and rows
// fetched by pages as they scroll into view. A new query starts a new generation, so pages of an
// older one that arrive late are dropped.
import type { ClassInfo, CoilscopeApi, ImageFilter, ImageRow, ImageSortKey } from '../../../src-shared/api.ts'

export const PAGE_SIZE = 100

export const EMPTY_FILTER: ImageFilter = { statuses: [], classIds: [], gateMin: null, gateMax: null, hasError: null, review: null }

export class ImageListState {
  sourceId = $state<number | null>(null)
  sortKey = $state<ImageSortKey>('name')
  isDescending = $state(false)
  filter = $state.raw<ImageFilter>(EMPTY_FILTER)
  total = $state(0)
  classes = $state.raw<ClassInfo[]>([])
  /** Sparse: index → row, for the pages loaded so far. */
  rows = $state.raw<(ImageRow | undefined)[]>([])
  selectedIndex = $state(-1)
  /** Counts new queries (not refreshes of the same one). */
  queryVersion = $state(0)
  readonly selected = $derived(this.rows[this.selectedIndex] ?? null)
  readonly isFiltered = $derived(
    this.filter.statuses.length > 0 || this.filter.classIds.length > 0 || this.filter.gateMin !== null || this.filter.gateMax !== null || this.filter.hasError !== null || (this.filter.review ?? null) !== null,
  )

  readonly #api: CoilscopeApi
  #generation = 0
  /** The generation the rows were loaded under (rows of an older query say nothing of this one). */
  #rowsGeneration = -1
  #pages = new Map<number, Promise<void>>()
  #window = { start: 0, end: 0 }

  constructor(api: CoilscopeApi) {
    this.#api = api
  }

  show(sourceId: number | null): Promise<void> {
    if (sourceId === this.sourceId) return Promise.resolve()
    this.sourceId = sourceId
    this.filter = EMPTY_FILTER
    return this.reload()
  }

  setSort(key: ImageSortKey, isDescending = key === this.sortKey ? !this.isDescending : key !== 'name'): Promise<void> {
    this.sortKey = key
    this.isDescending = isDescending
    return this.reload()
  }

  setFilter(change: Partial<ImageFilter>): Promise<void> {
    this.filter = { ...this.filter, ...change }
    return this.reload()
  }

  clearFilter(): Promise<void> {
    this.filter = EMPTY_FILTER
    return this.reload()
  }

  /** Drops every row and loads the rows in view again (a new query, or data that changed). */
  async reload(keepSelection = false): Promise<void> {
    this.#generation++
    this.#pages = new Map()
    if (!keepSelection) {
      this.selectedIndex = -1
      this.queryVersion++
    }
    if (this.sourceId === null) {
      this.rows = []
      this.total = 0
      this.classes = []
      return
    }
    const { start, end } = this.#window
    await this.#loadRange(keepSelection ? start : 0, keepSelection ? Math.max(end, start + 1) : PAGE_SIZE)
  }

  /** The list tells which rows it shows; missing pages are fetched. */
  showRows(start: number, end: number): void {
    this.#window = { start, end }
    this.#loadRange(start, end).catch(() => undefined) // a failed page shows as empty rows
  }

  select(index: number): void {
    if (this.total === 0) return
    this.selectedIndex = Math.max(0, Math.min(this.total - 1, index))
    this.showRows(this.selectedIndex, this.selectedIndex + 1)
  }

  async #loadRange(start: number, end: number): Promise<void> {
    const pages: Promise<void>[] = []
    for (let page = Math.floor(start / PAGE_SIZE); page * PAGE_SIZE < Math.max(end, 1); page++) {
      let loading = this.#pages.get(page)
      if (!loading) {
        loading = this.#loadPage(page, this.#generation)
        this.#pages.set(page, loading)
        loading.catch(() => this.#pages.delete(page)) // fetched again when next in view
      }
      pages.push(loading)
    }
    await Promise.all(pages)
  }

  async #loadPage(page: number, generation: number): Promise<void> {
    const sourceId = this.sourceId
    if (sourceId === null) return
    // The row before the page, when loaded, lets the host continue from it instead of counting to it.
    const before = page > 0 && this.#rowsGeneration === generation ? this.rows[page * PAGE_SIZE - 1] : undefined
    const result = await this.#api.listImages({
      sourceId,
      runId: null,
      afterImageId: before?.id ?? null,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      sort: { key: this.sortKey, isDescending: this.isDescending },
      filter: this.filter,
    })
    if (generation !== this.#generation) return
    const rows = this.total === result.total && this.rows.length === result.total ? [...this.rows] : new Array<ImageRow | undefined>(result.total)
    result.rows.forEach((row, k) => (rows[result.offset + k] = row))
    this.rows = rows
    this.#rowsGeneration = generation
    this.total = result.total
    this.classes = [...result.classes]
    if (this.selectedIndex >= result.total) this.selectedIndex = result.total - 1
  }
}
