// Jumps into the middle of a long list without skipping row by row. SQLite's OFFSET walks every
// row it skips, so a jump to row N of a million costs N steps. A seek table remembers the image at
// every stride-th position of one order (one walk of the order, made on the first jump), so a
// jump continues after the nearest remembered image and skips fewer than a stride of rows. A table
// is exact for as long as the database is unchanged. After a write it is still used for a while
// (a jump then lands off by at most the rows written since), so that a library filling all shift
// does not walk the whole order at every jump: see `isWorthKeeping`.

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

/** A table from the ids of the whole order, read by `walk`. */
export function buildSeekTable(walk: () => readonly number[], stride: number): SeekTable {
  const started = performance.now()
  const orderedIds = walk()
  const marks: number[] = []
  for (let position = stride - 1; position < orderedIds.length; position += stride) marks.push(orderedIds[position])
  const builtAtMs = performance.now()
  return { total: orderedIds.length, stride, marks, builtAtMs, buildMs: builtAtMs - started }
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
