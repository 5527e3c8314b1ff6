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
  /** Which segments may hold rows (known without a walk; asked once, at the first slice). */
  nonEmpty(): readonly boolean[]
  /** Up to `limit` ids right after image `afterId` in the segment (null: from its start); fewer at its end. */
  chunk(segment: number, afterId: number | null, limit: number): number[]
  /**
   * Up to `count` ids `stride` rows apart, the first `skip` rows after image `afterId` (null: from
   * the segment's start), read in one statement that hands back only them; undefined where the
   * order cannot (then it is read in chunks).
   */
  leap?(segment: number, afterId: number | null, skip: number, stride: number, count: number): number[] | undefined
  /**
   * The segment's marks in one statement, where that reads far fewer rows than walking it (a build
   * that must finish now); undefined to walk it in chunks.
   */
  marksAt?(segment: number, firstPosition: number, stride: number): { marks: number[]; rows: number } | undefined
}

/** Strides read per statement at most: a chunk of ids in index order costs about a millisecond. */
const STRIDES_PER_CHUNK = 4
/** Ids of a segment's first statement ahead: its matches may be sparse (one image in a hundred). */
const FIRST_CHUNK = 16
/** Marks found per statement at most, by a build that must finish now. */
const MARKS_PER_LEAP = 1024

/**
 * A seek table made a slice at a time: each statement reads a few strides of the order and only
 * the ids at stride ends are kept, so a build can pause between slices and resume later.
 */
export class SeekTableBuild {
  readonly #walk: OrderWalk
  readonly #stride: number
  readonly #marks: number[] = []
  #segments: readonly boolean[] | undefined
  #segment = 0
  /** Rows of the order read so far; the last of them is #afterId (null: at a segment's start). */
  #position = 0
  #afterId: number | null = null
  #workMs = 0
  /** Ids per statement: fewer where matching rows are sparse, so that a slice keeps to its budget. */
  #chunk: number

  constructor(walk: OrderWalk, stride: number) {
    this.#walk = walk
    this.#stride = stride
    this.#chunk = FIRST_CHUNK
  }

  get stride(): number {
    return this.#stride
  }

  /** The marks walked so far: a jump whose position they reach needs no more. */
  get marks(): readonly number[] {
    return this.#marks
  }

  /**
   * Walks on for about `budgetMs` (with no budget: now, until `untilMarks` marks are known); the
   * table once the whole order is walked.
   */
  advance(budgetMs = Infinity, untilMarks = Infinity): SeekTable | undefined {
    const started = performance.now()
    const segments = (this.#segments ??= this.#walk.nonEmpty())
    const stride = this.#stride
    while (this.#segment < segments.length && this.#marks.length < untilMarks) {
      const atStart = this.#afterId === null
      const all = segments[this.#segment] && atStart && budgetMs === Infinity ? this.#walk.marksAt?.(this.#segment, this.#position, stride) : undefined
      if (!segments[this.#segment]) this.#nextSegment()
      else if (all) {
        this.#marks.push(...all.marks)
        this.#position += all.rows
        this.#nextSegment()
      } else if (!this.#leap(budgetMs, untilMarks)) {
        const limit = budgetMs === Infinity ? STRIDES_PER_CHUNK * stride : this.#chunk
        // Fitted on the processor time it took: on a busy machine the clock also counts others' work.
        const cpuBefore = process.cpuUsage()
        const ids = this.#walk.chunk(this.#segment, this.#afterId, limit)
        const cpu = process.cpuUsage(cpuBefore)
        this.#fitChunk((cpu.user + cpu.system) / 1000, budgetMs)
        for (let k = (stride - 1 - (this.#position % stride)); k < ids.length; k += stride) this.#marks.push(ids[k])
        this.#position += ids.length
        if (ids.length < limit) this.#nextSegment()
        else this.#afterId = ids[ids.length - 1]
      }
      if (performance.now() - started >= budgetMs) break
    }
    this.#workMs += performance.now() - started
    if (this.#segment < segments.length) return undefined
    const builtAtMs = performance.now()
    return { total: this.#position, stride, marks: this.#marks, builtAtMs, buildMs: this.#workMs }
  }

  /** Finds the next marks with one statement of leaps; false where the order is read in chunks instead. */
  #leap(budgetMs: number, untilMarks: number): boolean {
    const stride = this.#stride
    // Ahead, where a stride of rows overran a slice (sparse matches), smaller chunks instead.
    if (budgetMs !== Infinity && this.#chunk < stride) return false
    const next = (this.#marks.length + 1) * stride - 1
    const wanted = budgetMs === Infinity ? Math.min(MARKS_PER_LEAP, untilMarks - this.#marks.length) : Math.max(1, Math.floor(this.#chunk / stride))
    const cpuBefore = process.cpuUsage()
    const found = this.#walk.leap?.(this.#segment, this.#afterId, next - this.#position, stride, wanted)
    if (found === undefined) return false
    const cpu = process.cpuUsage(cpuBefore)
    this.#fitChunk((cpu.user + cpu.system) / 1000, budgetMs)
    if (found.length > 0) {
      this.#marks.push(...found)
      this.#position = next + (found.length - 1) * stride + 1
      this.#afterId = found[found.length - 1]
    }
    if (found.length < wanted) {
      // Fewer than a stride of rows are left in the segment: read them to know where the next begins.
      this.#position += this.#walk.chunk(this.#segment, this.#afterId, stride).length
      this.#nextSegment()
    }
    return true
  }

  /** Halves the chunk after one that overran the slice's budget, doubles it (up to its most) after a quick one. */
  #fitChunk(ms: number, budgetMs: number): void {
    if (budgetMs === Infinity) return
    if (ms > budgetMs) this.#chunk = Math.max(1, Math.floor(this.#chunk / 2))
    else if (ms < budgetMs / 4) this.#chunk = Math.min(STRIDES_PER_CHUNK * this.#stride, this.#chunk * 2)
  }

  #nextSegment(): void {
    this.#chunk = FIRST_CHUNK
    this.#segment++
    this.#afterId = null
  }
}

/**
 * Whether a table made before the last write still serves jumps: while it is younger than
 * `factor` times what it cost to make, so rebuilding takes at most 1/factor of the time.
 */
export function isWorthKeeping(table: SeekTable, factor: number, nowMs = performance.now()): boolean {
  return nowMs - table.builtAtMs < factor * table.buildMs
}

export function seekPoint(table: Pick<SeekTable, 'stride' | 'marks'>, offset: number): SeekPoint {
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
