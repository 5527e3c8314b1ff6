// Keeps a host's coil listing cheap to ask for again. A source is regrouped only when something
// grouping reads changed — its images, its coil settings, the CSV mapping file — and a coil's line
// is recomputed only when its status fingerprint changed (its images, their results and masks,
// the run's profile, the decision; see CoilsRepo.statusFingerprints), the rule set or the geometry.
// Writes by another process are seen through the store's change stamp. Each evaluated line is kept
// in the library with its fingerprint, so a new host (serve, the app) evaluates only what changed.
import { stat } from 'node:fs/promises'
import type { GroupingProblem } from '../../src-shared/coilGrouping.ts'
import { APP_VERSION } from '../appInfo.ts'
import type { SourceRecord, Store } from '../store/index.ts'
import type { StoredCoilLine } from '../store/repos/coilLinesRepo.ts'
import { assignCoils, mappingFilePath } from './assignCoils.ts'
import { coilStatus } from './coilDisposition.ts'
import { summariseCoil, type CoilSummary } from './coilSummary.ts'
import type { StoredRuleSet } from './ruleSets.ts'

interface Grouping {
  /** The constant-time stamp and the per-source one current when the source was last grouped. */
  quick: string
  readonly full: string
  readonly problems: readonly GroupingProblem[]
}

/** A coil of a listing under way: its line, once known. */
interface Planned {
  readonly id: number
  readonly fingerprint: string
  line: CoilSummary | null
}

interface Line {
  readonly fingerprint: string
  readonly line: CoilSummary
}

export class CoilCache {
  /** The work the cache let through, counted: what a listing really recomputed. */
  readonly work = { regroupings: 0, statusesComputed: 0 }
  readonly #store: Store
  readonly #groupings = new Map<number, Grouping>()
  readonly #lines = new Map<number, { stamp: string; lines: CoilSummary[]; byCoil: Map<number, Line> }>()
  /** The listing of each source under way: a second one waits for it rather than evaluating the same coils. */
  readonly #listing = new Map<number, Promise<CoilSummary[]>>()
  readonly #sliceMs: number

  /** `sliceMs`: how long the host is kept from other calls at most while coils are evaluated (a coil is never cut). */
  constructor(store: Store, options: { readonly sliceMs?: number } = {}) {
    this.#store = store
    this.#sliceMs = options.sliceMs ?? 20
  }

  /** Brings the source's coils up to date if anything grouping reads changed; the grouping's problems. */
  async regroup(source: SourceRecord): Promise<readonly GroupingProblem[]> {
    const store = this.#store
    // Read before grouping: a write while it runs shows as a change next time.
    const inputs = await groupingInputs(store, source)
    const quick = `${store.coils.libraryStamp()}|${inputs}`
    const known = this.#groupings.get(source.id)
    if (known?.quick === quick) return known.problems
    const full = `${store.coils.imagesStamp(source.id)}|${inputs}`
    if (known?.full === full) {
      known.quick = quick
      return known.problems
    }
    const { problems } = await assignCoils(store, source)
    this.work.regroupings++
    this.#groupings.set(source.id, { quick, full, problems })
    return problems
  }

  /**
   * The source's coil lines; only coils whose fingerprint changed since they were last evaluated —
   * by this host, or by any host before it (the lines stored in the library) — are evaluated, and
   * the fingerprints are read only when the source's status stamp moved. Evaluating many coils
   * yields to the host between slices; a second listing of the source meanwhile waits for this one
   * and then redoes only what changed since.
   */
  async lines(source: SourceRecord, rules: StoredRuleSet | null): Promise<CoilSummary[]> {
    for (let running = this.#listing.get(source.id); running; running = this.#listing.get(source.id)) await running.catch(() => undefined)
    const listing = this.#list(source, rules).finally(() => this.#listing.delete(source.id))
    this.#listing.set(source.id, listing)
    return listing
  }

  async #list(source: SourceRecord, rules: StoredRuleSet | null): Promise<CoilSummary[]> {
    const store = this.#store
    // The stamp is read before the fingerprints, and both before any coil is evaluated: a write
    // meanwhile can only make a stamp or a fingerprint kept here older than the line, which the
    // next listing sees as a change (and evaluates again), never the other way round.
    const plan = store.transaction((): { stamp: string; done: CoilSummary[] } | { stamp: string; coils: Planned[] } => {
      // The app's version too: a line stored by another version may have been evaluated otherwise.
      const context = JSON.stringify([APP_VERSION, rules?.record.id ?? null, source.folderPath, store.coils.settings(source.id).geometry])
      const stamp = `${context}|${store.coils.statusStamp(source.id)}`
      const known = this.#lines.get(source.id)
      if (known?.stamp === stamp) return { stamp, done: known.lines }
      const fingerprints = store.coils.statusFingerprints(source.id)
      const stored = known ? undefined : store.coilLines.forSource(source.id)
      const coils = store.coils.list(source.id).map((coil) => {
        const fingerprint = `${context}|${fingerprints.get(coil.id)}`
        const entry = known?.byCoil.get(coil.id) ?? stored?.get(coil.id)
        if (entry?.fingerprint !== fingerprint) return { id: coil.id, fingerprint, line: null }
        return { id: coil.id, fingerprint, line: 'line' in entry ? entry.line : (JSON.parse(entry.lineJson) as CoilSummary) }
      })
      return { stamp, coils }
    })
    if ('done' in plan) return plan.done
    const todo = plan.coils.filter((c) => c.line === null)
    for (let next = 0; next < todo.length; ) {
      // One slice: its coils evaluated and their lines stored in one transaction, so each line
      // stands on one state of the library. The listing as a whole is consistent per coil, not
      // across coils: holding one transaction across the slices would keep every other writer of
      // the library waiting for the whole listing.
      next = store.transaction(() => {
        const evaluated = new Map<number, StoredCoilLine>()
        const until = performance.now() + this.#sliceMs
        do {
          const coil = todo[next++]
          if (store.coils.get(coil.id) === undefined) continue // regrouped away meanwhile: no line
          coil.line = this.#evaluate(source, coil.id, rules)
          evaluated.set(coil.id, { fingerprint: coil.fingerprint, lineJson: JSON.stringify(coil.line) })
        } while (next < todo.length && performance.now() < until)
        if (evaluated.size > 0 && !store.isReadOnly) store.coilLines.save(evaluated)
        return next
      })
      if (next < todo.length) await new Promise((resolve) => setImmediate(resolve))
    }
    const kept = plan.coils.filter((c): c is typeof c & { line: CoilSummary } => c.line !== null)
    const lines = kept.map((c) => c.line)
    this.#lines.set(source.id, { stamp: plan.stamp, lines, byCoil: new Map(kept.map((c) => [c.id, { fingerprint: c.fingerprint, line: c.line }])) })
    return lines
  }

  #evaluate(source: SourceRecord, coilId: number, rules: StoredRuleSet | null): CoilSummary {
    this.work.statusesComputed++
    return summariseCoil(this.#store, source, coilStatus(this.#store, coilId, rules?.ruleSet ?? null))
  }
}

/** The source's coil settings as stored and, for a CSV grouping, the mapping file's size and time. */
async function groupingInputs(store: Store, source: SourceRecord): Promise<string> {
  const settings = store.coils.settings(source.id)
  const grouping = settings.grouping as { kind?: unknown; csvPath?: unknown } | null
  let mapping: unknown = null
  if (grouping?.kind === 'csv' && typeof grouping.csvPath === 'string') {
    const path = mappingFilePath(grouping.csvPath, source)
    mapping = await stat(path).then((s) => [path, s.size, s.mtimeMs, s.ino], (error: NodeJS.ErrnoException) => [path, error.code ?? 'unreadable'])
  }
  return JSON.stringify([source.folderPath, settings, mapping])
}
