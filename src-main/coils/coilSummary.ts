// One line of the coil listing as plain data, shared by `coilscope coils`, its JSON and the coils
// CSV: the coil, its defects per class, the proposal and the current decision.
import type { CoilDecisionView, CoilSummary } from '../../src-shared/coilTypes.ts'
import type { DecisionRecord, SourceRecord, Store } from '../store/index.ts'
import { coilStatus, type CoilStatus } from './coilDisposition.ts'
import type { StoredRuleSet } from './ruleSets.ts'

export type { CoilSummary }

export function summariseCoils(store: Store, sources: readonly SourceRecord[], rules: StoredRuleSet | null): CoilSummary[] {
  return sources.flatMap((source) => store.coils.list(source.id).map((coil) => summariseCoil(store, source, coilStatus(store, coil.id, rules?.ruleSet ?? null))))
}

/** One coil's line from its evaluated status. */
export function summariseCoil(store: Store, source: SourceRecord, status: CoilStatus): CoilSummary {
  const defectsPerClass: Record<number, number> = {}
  const defectAreaMm2PerClass: Record<number, number> = {}
  for (const d of status.defects) {
    defectsPerClass[d.classId] = (defectsPerClass[d.classId] ?? 0) + 1
    defectAreaMm2PerClass[d.classId] = (defectAreaMm2PerClass[d.classId] ?? 0) + d.areaMm2
  }
  const decided = status.decision && store.disposition.getRuleSet(status.decision.ruleSetId)
  const { coil } = status
  return {
    id: coil.id, source: source.folderPath, name: coil.name, images: coil.imageCount, lengthMm: coil.lengthMm, widthMm: coil.widthMm,
    runId: status.runId, imagesWithoutResult: status.imagesWithoutResult, defectsPerClass, defectAreaMm2PerClass,
    proposal: status.proposal, decision: status.decision ? withoutProposal(status.decision) : null,
    decisionOutOfDate: status.decisionOutOfDate, decisionStaleBecause: status.decisionStaleBecause, decisionRuleSet: decided ? { name: decided.name, version: decided.version } : null,
  }
}

/** The decision as listed: the proposal it answered stays in the store. */
function withoutProposal({ proposal: _answered, ...decision }: DecisionRecord): CoilDecisionView {
  return decision
}
