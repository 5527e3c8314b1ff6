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

  constructor(store: Store) {
    this.#store = store
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
   * the fingerprints are read only when the source's status stamp moved.
   */
  lines(source: SourceRecord, rules: StoredRuleSet | null): CoilSummary[] {
    const store = this.#store
    // One read transaction: the fingerprints and the statuses see the same library.
    return store.transaction(() => {
      // The app's version too: a line stored by another version may have been evaluated otherwise.
      const context = JSON.stringify([APP_VERSION, rules?.record.id ?? null, source.folderPath, store.coils.settings(source.id).geometry])
      const stamp = `${context}|${store.coils.statusStamp(source.id)}`
      const known = this.#lines.get(source.id)
      if (known?.stamp === stamp) return known.lines
      const fingerprints = store.coils.statusFingerprints(source.id)
      const stored = known ? undefined : store.coilLines.forSource(source.id)
      const byCoil = new Map<number, Line>()
      const evaluated = new Map<number, StoredCoilLine>()
      const lines = store.coils.list(source.id).map((coil) => {
        const fingerprint = `${context}|${fingerprints.get(coil.id)}`
        const entry = known?.byCoil.get(coil.id) ?? stored?.get(coil.id)
        if (entry?.fingerprint === fingerprint) {
          const line = 'line' in entry ? entry.line : (JSON.parse(entry.lineJson) as CoilSummary)
          byCoil.set(coil.id, { fingerprint, line })
          return line
        }
        const line = this.#evaluate(source, coil.id, rules)
        byCoil.set(coil.id, { fingerprint, line })
        evaluated.set(coil.id, { fingerprint, lineJson: JSON.stringify(line) })
        return line
      })
      if (evaluated.size > 0 && !store.isReadOnly) store.coilLines.save(evaluated)
      this.#lines.set(source.id, { stamp, lines, byCoil })
      return lines
    })
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
