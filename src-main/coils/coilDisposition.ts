// A coil's defects under its latest run — the reviewed masks where a human edited a class, else the
// model's under the run's threshold profile — and what follows from them: the proposal of a rule
// set, the current decision, and whether it is out of date (a mask edited, a newer run, or the
// run's threshold profile changed after it).
import type { CoilGeometry } from '../../src-shared/coilGeometry.ts'
import { defectsOnCoil, type CoilImageMasks } from '../../src-shared/coilDefects.ts'
import { proposeDisposition, type CoilDefect, type Proposal } from '../../src-shared/disposition.ts'
import type { RuleSet } from '../../src-shared/dispositionRules.ts'
import { staleReasons, type StaleReason } from '../../src-shared/decisionStaleness.ts'
import { profileChangedAtMs, profileForRun } from '../review/profiles.ts'
import { profileLabel } from '../../src-shared/profileContent.ts'
import { reviewedMasks } from '../review/reviewedMasks.ts'
import type { CoilRecord, DecisionRecord, Store } from '../store/index.ts'
import { resolveCoilSettings } from './coilSettings.ts'

export interface CoilDefects {
  readonly coil: CoilRecord
  /** The run the defects come from; null when no image of the coil has a result yet. */
  readonly runId: number | null
  readonly geometry: CoilGeometry
  readonly defects: readonly CoilDefect[]
  /** Images of the coil without a result in that run (their defects are unknown). */
  readonly imagesWithoutResult: number
  /** The threshold profile (name and version) the model's masks were derived under; null without a run. */
  readonly profile: string | null
}

export interface CoilStatus extends CoilDefects {
  readonly proposal: Proposal | null
  readonly decision: DecisionRecord | null
  /** The decision no longer answers what the coil shows now (see staleReasons). */
  readonly decisionOutOfDate: boolean
  readonly decisionStaleBecause: readonly StaleReason[]
}

export function coilDefects(store: Store, coilId: number): CoilDefects {
  const coil = store.coils.get(coilId)
  if (!coil) throw new Error(`no coil with id ${coilId}`)
  const source = store.sources.get(coil.sourceId)!
  const { geometry } = resolveCoilSettings(store, source, [])
  const runId = store.coils.latestRunId(coilId)
  if (runId === null) return { coil, runId, geometry, defects: [], imagesWithoutResult: coil.imageCount, profile: null }
  const profile = profileForRun(store, runId)
  const images: CoilImageMasks[] = []
  let imagesWithoutResult = 0
  for (const member of store.coils.images(coilId)) {
    const image = store.images.get(member.imageId)!
    if (!store.predictions.get(runId, member.imageId)) {
      imagesWithoutResult++
      continue
    }
    const masks = reviewedMasks(store, runId, member.imageId, profile)
    images.push({ imageId: image.id, positionMm: member.positionMm, width: image.width!, height: image.height!, masks })
  }
  return { coil, runId, geometry, defects: defectsOnCoil(images, geometry), imagesWithoutResult, profile: profileLabel(profile) }
}

export function coilStatus(store: Store, coilId: number, ruleSet: RuleSet | null): CoilStatus {
  const found = coilDefects(store, coilId)
  const proposal = ruleSet && found.runId !== null
    ? proposeDisposition({ lengthMm: found.coil.lengthMm, widthMm: found.coil.widthMm, defects: found.defects }, ruleSet)
    : null
  const decision = store.disposition.currentDecision(coilId) ?? null
  const stale = decision === null ? [] : staleReasons({
    decidedAtMs: decision.createdAtMs, decisionRunId: decision.runId, currentRunId: found.runId,
    lastEditAtMs: store.coils.lastEditAtMs(coilId), profileChangedAtMs: profileChangedAtMs(store, decision.runId),
  })
  return { ...found, proposal, decision, decisionOutOfDate: stale.length > 0, decisionStaleBecause: stale }
}
