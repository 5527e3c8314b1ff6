// Comparing two sides over the same images of a source: resolve both, count image by image, and
// compute the statistics (src-shared/compare). The result is plain JSON: the CLI prints it, the
// report renders it, the app shows it.
import { compareCounts, type Comparison } from '../../src-shared/compare/compareStats.ts'
import { profileLabel } from '../../src-shared/profileContent.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { ModelSetRecord, RunRecord, SourceRecord, Store } from '../store/index.ts'
import { resolveSide, type ResolvedSide, type SideContext } from './compareSide.ts'
import { compareDispositions, type DispositionComparison } from './dispositionChanges.ts'
import { collectPairCounts, type TruthChoice, type TruthUsed } from './pairCounts.ts'

export { parseSideSpec, resolveSide, type ResolvedSide, type SideContext, type SideSpec } from './compareSide.ts'
export { TRUTH_CHOICES, type TruthChoice } from './pairCounts.ts'

export const DEFAULT_SEED = 20260101
export const DEFAULT_RESAMPLES = 1000

export interface CompareOptions {
  readonly a: string
  readonly b: string
  /** The source compared on; null: the source of run A (when A is a run). */
  readonly source: SourceRecord | null
  readonly truth: TruthChoice
  readonly seed: number
  readonly resamples: number
  readonly modelRoots: readonly string[]
  readonly runSet?: SideContext['runSet']
}

/** The reproducibility record of one side, as the report prints it. */
export interface SideRecord {
  readonly spec: string
  readonly label: string
  readonly run: RunRecord
  readonly modelSet: Pick<ModelSetRecord, 'id' | 'manifestId' | 'version' | 'manifestSha256' | 'members' | 'classes'>
  readonly profile: ThresholdProfile & { readonly label: string }
}

export interface CompareResult {
  readonly source: { readonly id: number; readonly folderPath: string }
  readonly a: SideRecord
  readonly b: SideRecord
  readonly truth: TruthUsed
  readonly missingA: number
  readonly missingB: number
  readonly bootstrap: { readonly seed: number; readonly resamples: number; readonly level: number }
  readonly comparison: Comparison
  readonly dispositions: DispositionComparison
}

export async function compareSides(store: Store, options: CompareOptions): Promise<CompareResult> {
  const firstRun = /^\d+(:|$)/.test(options.a) ? store.runs.get(Number(options.a.split(':')[0])) : undefined
  const source = options.source ?? (firstRun?.sourceId ? store.sources.get(firstRun.sourceId) ?? null : null)
  const context: SideContext = { source, modelRoots: options.modelRoots, runSet: options.runSet }
  const a = await resolveSide(store, options.a, context)
  const b = await resolveSide(store, options.b, context)
  const on = source ?? store.sources.get(a.run.sourceId ?? -1)
  if (!on) throw new Error(`run ${a.run.id} has no source to compare on`)
  for (const side of [a, b]) {
    if (side.run.sourceId !== on.id) throw new Error(`${side.spec}: run ${side.run.id} inspected another source than ${on.folderPath}`)
  }
  const counts = collectPairCounts(store, on, a, b, options.truth)
  const bootstrap = { seed: options.seed, resamples: options.resamples }
  const comparison = compareCounts(counts.images, a.modelSet.classes.map((c) => c.id), bootstrap)
  return {
    source: { id: on.id, folderPath: on.folderPath },
    a: sideRecord(a),
    b: sideRecord(b),
    truth: counts.truth,
    missingA: counts.missingA,
    missingB: counts.missingB,
    bootstrap: { ...bootstrap, level: 0.95 },
    comparison,
    dispositions: compareDispositions(store, on, a, b),
  }
}

function sideRecord(side: ResolvedSide): SideRecord {
  const { id, manifestId, version, manifestSha256, members, classes } = side.modelSet
  return { spec: side.spec, label: side.label, run: side.run, modelSet: { id, manifestId, version, manifestSha256, members, classes }, profile: { ...side.profile, label: profileLabel(side.profile) } }
}
