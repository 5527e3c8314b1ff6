// Lists of bounded length filled from a stream of any size: what a report of a million images
// keeps of its defects (the gallery's best few, an even sample for the charts).

/** The `count` best items seen (by `compare`, smaller first), in rank order; an equal one keeps its place. */
export class BestOf<T> {
  readonly #count: number
  readonly #compare: (a: T, b: T) => number
  readonly #kept: T[] = []

  constructor(count: number, compare: (a: T, b: T) => number) {
    this.#count = count
    this.#compare = compare
  }

  add(item: T): void {
    const kept = this.#kept
    if (this.#count <= 0 || (kept.length === this.#count && this.#compare(item, kept[kept.length - 1]) >= 0)) return
    const at = kept.findIndex((other) => this.#compare(item, other) < 0)
    kept.splice(at === -1 ? kept.length : at, 0, item)
    if (kept.length > this.#count) kept.pop()
  }

  items(): T[] {
    return [...this.#kept]
  }
}

/**
 * Every item while there are at most `limit`; past that an even sample across all seen (every
 * stride-th, the stride doubling each time the sample fills), so a chart keeps its shape.
 */
export class EvenSample<T> {
  readonly #limit: number
  #seen = 0
  #stride = 1
  #kept: { item: T; index: number }[] = []

  constructor(limit: number) {
    this.#limit = limit
  }

  get seen(): number {
    return this.#seen
  }

  add(item: T): void {
    if (this.#seen % this.#stride === 0) this.#kept.push({ item, index: this.#seen })
    this.#seen++
    if (this.#kept.length <= this.#limit) return
    this.#stride *= 2
    this.#kept = this.#kept.filter((k) => k.index % this.#stride === 0)
  }

  items(): T[] {
    return this.#kept.map((k) => k.item)
  }
}
