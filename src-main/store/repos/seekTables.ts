// The seek tables of the orders a library's list was asked for: kept per order at the library's
// stamp, built ahead in small slices while the host is otherwise idle once a long order's page is
// served, and walked on at a jump only as far as the jump needs (see seekTable.ts). One loop per
// thread builds the slices of every set of tables (the Library's, Review's), the newest order first.
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { isWorthKeeping, SeekTableBuild, StampedCache, type OrderWalk, type SeekTable } from './seekTable.ts'

export interface SeekTablesOptions {
  readonly stride: number
  /** A table made before the last write serves jumps while younger than this many times its cost. */
  readonly staleFactor: number
  /** Milliseconds of each slice built ahead (0: built at jumps only). */
  readonly sliceMs: number
  /** Whether the library is still open (a closed one stops building). */
  readonly isOpen: () => boolean
}

/** Orders waiting to be built ahead, at most: the newest is built first. */
const WAITING_BUILDS = 4
/**
 * Slices are built while the host is otherwise idle: this long without a call of its own, and
 * between two slices at most this much other work (more: a call came, the build waits again).
 */
const IDLE_MS = 30
const OTHER_WORK_MS = 0.5

/** The sets of tables with builds waiting, and the one loop that builds them. */
const waiting = new Set<SeekTables>()
let building: Promise<void> | null = null
/** Counts the builds asked for: the newest is built first, whichever set it belongs to. */
let asked = 0

function startBuilding(tables: SeekTables): void {
  waiting.add(tables)
  building ??= buildSlices()
}

async function buildSlices(): Promise<void> {
  try {
    for (;;) {
      await hostIdle()
      // Slice after slice while nothing else runs in between; a call in between waits for no slice.
      for (let ended = performance.now(); ; ended = performance.now()) {
        await nextTurn()
        if (performance.now() - ended > OTHER_WORK_MS) break
        const newest = [...waiting].reduce<SeekTables | undefined>((best, t) => (best === undefined || t.newestAsked > best.newestAsked ? t : best), undefined)
        if (!newest) return
        if (!newest.buildSlice()) waiting.delete(newest)
      }
    }
  } finally {
    building = null
  }
}

export class SeekTables {
  readonly #options: SeekTablesOptions
  readonly #tables = new StampedCache<SeekTable>()
  /** Builds under way, by order, with the stamp each began at and when it was asked for. */
  readonly #builds = new Map<string, { stamp: string; build: SeekTableBuild; asked: number }>()

  constructor(options: SeekTablesOptions) {
    this.#options = options
  }

  /** The exact table of an order at `stamp`, if made. */
  exact(orderKey: string, stamp: string): SeekTable | undefined {
    return this.#tables.get(orderKey, stamp)
  }

  /**
   * Marks of the order that reach `offset`: its table (exact, or made before recent writes but
   * still worth keeping), or its build walked on now just as far as the jump needs.
   */
  marksFor(orderKey: string, stamp: string, offset: number, walk: () => OrderWalk): Pick<SeekTable, 'stride' | 'marks'> {
    const kept = this.#kept(orderKey, stamp)
    if (kept) return kept
    let ahead = this.#builds.get(orderKey)
    this.#builds.delete(orderKey)
    // A build begun before a write lands off by the rows written since, as a kept table does.
    if (!ahead || (ahead.stamp !== stamp && this.#options.staleFactor === 0)) ahead = { stamp, build: new SeekTableBuild(walk(), this.#options.stride), asked: ++asked }
    const made = ahead.build.advance(Infinity, Math.floor(offset / this.#options.stride))
    if (made) {
      this.#tables.set(orderKey, ahead.stamp, made)
      return made
    }
    // The rest of the order is walked ahead, or by a later jump.
    this.#builds.set(orderKey, ahead)
    if (this.#options.sliceMs) startBuilding(this)
    return ahead.build
  }

  /** Starts building the order's table between the host's calls, unless it has one or is too short to need one. */
  buildAhead(orderKey: string, stamp: string, rows: number, walk: () => OrderWalk): void {
    const { sliceMs, stride } = this.#options
    if (!sliceMs || rows < 4 * stride || this.#builds.has(orderKey) || this.#kept(orderKey, stamp)) return
    this.#builds.set(orderKey, { stamp, build: new SeekTableBuild(walk(), stride), asked: ++asked })
    if (this.#builds.size > WAITING_BUILDS) this.#builds.delete(this.#builds.keys().next().value!)
    startBuilding(this)
  }

  /** Resolves when the builds under way ahead are made. */
  async builtAhead(): Promise<void> {
    while (this.#builds.size > 0 && building) await building
  }

  /** When the newest build waiting here was asked for (0: none). */
  get newestAsked(): number {
    return [...this.#builds.values()].reduce((newest, b) => Math.max(newest, b.asked), 0)
  }

  /** One slice of the newest build waiting here; false when there is none (or the library closed). */
  buildSlice(): boolean {
    const newest = [...this.#builds].reduce<[string, { stamp: string; build: SeekTableBuild; asked: number }] | undefined>((best, entry) => (best === undefined || entry[1].asked > best[1].asked ? entry : best), undefined)
    if (!newest || !this.#options.isOpen()) return false
    const [orderKey, { stamp, build }] = newest
    try {
      const table = build.advance(this.#options.sliceMs)
      if (table && this.#builds.get(orderKey)?.build === build) {
        this.#builds.delete(orderKey)
        this.#tables.set(orderKey, stamp, table)
      }
      return true
    } catch {
      // Only a head start is lost (a busy or closed library): the first deep jump builds instead.
      this.#builds.clear()
      return false
    }
  }

  #kept(orderKey: string, stamp: string): SeekTable | undefined {
    const exact = this.#tables.get(orderKey, stamp)
    if (exact) return exact
    const older = this.#tables.getAny(orderKey)
    return older && isWorthKeeping(older, this.#options.staleFactor) ? older : undefined
  }
}

/** Resolves once the host's event loop has done no other work for IDLE_MS. */
async function hostIdle(): Promise<void> {
  for (;;) {
    const before = performance.eventLoopUtilization()
    await sleep(IDLE_MS)
    if (performance.eventLoopUtilization(before).active < OTHER_WORK_MS) return
  }
}
