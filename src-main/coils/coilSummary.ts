// One line of the coil listing as plain data, shared by `coilscope coils`, its JSON and the coils
// CSV: the coil, its defects per class, the proposal and the current decision.
import type { Proposal } from '../../src-shared/disposition.ts'
import type { DecisionRecord, SourceRecord, Store } from '../store/index.ts'
import { coilStatus } from './coilDisposition.ts'
import type { StoredRuleSet } from './ruleSets.ts'

export interface CoilSummary {
  readonly id: number
  readonly source: string
  readonly name: string
  readonly images: number
  readonly lengthMm: number
  readonly widthMm: number
  readonly runId: number | null
  readonly imagesWithoutResult: number
  /** Defect count per class id present in the run's masks. */
  readonly defectsPerClass: Readonly<Record<number, number>>
  readonly defectAreaMm2PerClass: Readonly<Record<number, number>>
  readonly proposal: Proposal | null
  readonly decision: Omit<DecisionRecord, 'proposal'> | null
  readonly decisionOutOfDate: boolean
  /** The version of the rule set the decision answered. */
  readonly decisionRuleSet: { readonly name: string; readonly version: number } | null
}

export function summariseCoils(store: Store, sources: readonly SourceRecord[], rules: StoredRuleSet | null): CoilSummary[] {
  return sources.flatMap((source) =>
    store.coils.list(source.id).map((coil) => {
      const status = coilStatus(store, coil.id, rules?.ruleSet ?? null)
      const defectsPerClass: Record<number, number> = {}
      const defectAreaMm2PerClass: Record<number, number> = {}
      for (const d of status.defects) {
        defectsPerClass[d.classId] = (defectsPerClass[d.classId] ?? 0) + 1
        defectAreaMm2PerClass[d.classId] = (defectAreaMm2PerClass[d.classId] ?? 0) + d.areaMm2
      }
      const decided = status.decision && store.disposition.getRuleSet(status.decision.ruleSetId)
      const { proposal: _answered, ...decision } = status.decision ?? { proposal: null }
      return {
        id: coil.id, source: source.folderPath, name: coil.name, images: coil.imageCount, lengthMm: coil.lengthMm, widthMm: coil.widthMm,
        runId: status.runId, imagesWithoutResult: status.imagesWithoutResult, defectsPerClass, defectAreaMm2PerClass,
        proposal: status.proposal, decision: status.decision ? (decision as Omit<DecisionRecord, 'proposal'>) : null,
        decisionOutOfDate: status.decisionOutOfDate, decisionRuleSet: decided ? { name: decided.name, version: decided.version } : null,
      }
    }),
  )
}
