// Jumps into the middle of a long list without skipping row by row. SQLite's OFFSET walks every
// row it skips, so a jump to row N of a million costs N steps. A seek table remembers the image at
// every stride-th position of one order (one walk of the order, made ahead in slices or at the
// first jump), so a jump continues after the nearest remembered image and skips fewer than a
// stride of rows. A table is exact for as long as the database is unchanged. After a write it is
// still used for a while (a jump then lands off by at most the rows written since), so that a
// library filling all shift does not walk the whole order at every jump: see `isWorthKeeping`.

export interface SeekTable {
  /** The number of rows in the order. */
  readonly total: number
  readonly stride: number
  /** When it was made and how long that took (performance.now() milliseconds). */
  readonly builtAtMs: number
  readonly buildMs: number
  /** marks[j] is the image at position (j + 1) * stride - 1: the last row before position (j + 1) * stride. */
  readonly marks: readonly number[]
}

/** Where a jump to `offset` starts: after `afterId` (null: from the start), skipping `skip` rows. */
export interface SeekPoint {
  readonly afterId: number | null
  readonly skip: number
}

/** How a build walks one order, segment by segment (each segment's rows are contiguous in the order). */
export interface OrderWalk {
  /** The number of rows of each segment, known before the walk (asked once, at its first slice). */
  sizes(): readonly number[]
  /** The image `skip` rows after image `afterId` in the segment (null: from its start); undefined past its end. */
  step(segment: number, afterId: number | null, skip: number): number | undefined
  /** The whole segment's marks in one statement, for a segment cheaper to read at once; undefined to step it. */
  marksAt?(segment: number, firstPosition: number, stride: number): number[] | undefined
}

/**
 * A seek table made a slice at a time: each step reads one stride of the order inside SQLite and
 * hands back only the image at its end, so a build can pause between slices and resume later.
 */
export class SeekTableBuild {
  readonly #walk: OrderWalk
  readonly #stride: number
  readonly #marks: number[] = []
  #segment = 0
  /** Rows of the order before the next one to read; the last of them is #afterId (null: a segment's start). */
  #position = 0
  #segmentStart = 0
  #afterId: number | null = null
  #workMs = 0
  #sizes: readonly number[] | undefined

  constructor(walk: OrderWalk, stride: number) {
    this.#walk = walk
    this.#stride = stride
  }

  /** Walks on for about `budgetMs` (or to the end); the table once the whole order is walked. */
  advance(budgetMs = Infinity): SeekTable | undefined {
    const started = performance.now()
    const sizes = (this.#sizes ??= this.#walk.sizes())
    while (this.#segment < sizes.length) {
      const segmentEnd = this.#segmentStart + sizes[this.#segment]
      const next = (this.#marks.length + 1) * this.#stride - 1
      const atStart = this.#position === this.#segmentStart
      const all = next < segmentEnd && atStart ? this.#walk.marksAt?.(this.#segment, this.#segmentStart, this.#stride) : undefined
      const id = all || next >= segmentEnd ? undefined : this.#walk.step(this.#segment, this.#afterId, next - this.#position)
      if (all) this.#marks.push(...all)
      if (id === undefined) {
        this.#segment++
        this.#position = this.#segmentStart = segmentEnd
        this.#afterId = null
      } else {
        this.#marks.push(id)
        this.#afterId = id
        this.#position = next + 1
      }
      if (performance.now() - started >= budgetMs) break
    }
    this.#workMs += performance.now() - started
    if (this.#segment < sizes.length) return undefined
    const builtAtMs = performance.now()
    return { total: this.#segmentStart, stride: this.#stride, marks: this.#marks, builtAtMs, buildMs: this.#workMs }
  }
}

/**
 * Whether a table made before the last write still serves jumps: while it is younger than
 * `factor` times what it cost to make, so rebuilding takes at most 1/factor of the time.
 */
export function isWorthKeeping(table: SeekTable, factor: number, nowMs = performance.now()): boolean {
  return nowMs - table.builtAtMs < factor * table.buildMs
}

export function seekPoint(table: SeekTable, offset: number): SeekPoint {
  const j = Math.min(Math.floor(offset / table.stride), table.marks.length)
  return j === 0 ? { afterId: null, skip: offset } : { afterId: table.marks[j - 1], skip: offset - j * table.stride }
}

/** The few most recently used values (seek tables, totals), by the order and filter they were made for, each valid at its stamp. */
export class StampedCache<T> {
  readonly #tables = new Map<string, { stamp: string; value: T }>()
  readonly #capacity: number

  constructor(capacity = 16) {
    this.#capacity = capacity
  }

  /** The value for `key` if it was made at `stamp`. */
  get(key: string, stamp: string): T | undefined {
    const entry = this.#tables.get(key)
    if (!entry || entry.stamp !== stamp) return undefined
    this.#tables.delete(key)
    this.#tables.set(key, entry)
    return entry.value
  }

  /** The value for `key` whatever its stamp. */
  getAny(key: string): T | undefined {
    return this.#tables.get(key)?.value
  }

  set(key: string, stamp: string, value: T): void {
    this.#tables.delete(key)
    this.#tables.set(key, { stamp, value })
    if (this.#tables.size > this.#capacity) this.#tables.delete(this.#tables.keys().next().value!)
  }
}
