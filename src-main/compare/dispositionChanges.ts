// The coil dispositions that would change if B replaced A: each coil of the source is proposed
// under the active rule set twice, from the same defects function the coil map uses, with the
// human mask where a class was edited and else each side's model mask under its profile.
import { defectsOnCoil, type CoilImageMasks } from '../../src-shared/coilDefects.ts'
import { proposeDisposition, type Proposal } from '../../src-shared/disposition.ts'
import type { Disposition } from '../../src-shared/dispositionRules.ts'
import { pickReviewedMasks } from '../../src-shared/reviewedMasks.ts'
import { encodeRle } from '../../src-shared/rle.ts'
import { resolveCoilSettings } from '../coils/coilSettings.ts'
import { activeRuleSet } from '../coils/ruleSets.ts'
import type { SourceRecord, Store } from '../store/index.ts'
import type { ResolvedSide } from './compareSide.ts'
import { modelMasks } from './pairCounts.ts'

export interface DispositionChange {
  readonly coilId: number
  readonly coil: string
  readonly a: Disposition
  readonly b: Disposition
  /** The rules that fired on each side. */
  readonly rulesA: readonly string[]
  readonly rulesB: readonly string[]
}

export interface DispositionComparison {
  /** Null when there is no active rule set, or the source has no coils. */
  readonly ruleSet: { readonly name: string; readonly version: number } | null
  readonly coils: number
  readonly changes: readonly DispositionChange[]
}

export function compareDispositions(store: Store, source: SourceRecord, a: ResolvedSide, b: ResolvedSide): DispositionComparison {
  const rules = activeRuleSet(store)
  const coils = store.coils.list(source.id)
  if (!rules || coils.length === 0) return { ruleSet: null, coils: coils.length, changes: [] }
  const { geometry } = resolveCoilSettings(store, source, [])
  const classIds = a.modelSet.classes.map((c) => c.id)
  const changes: DispositionChange[] = []
  for (const coil of coils) {
    const sides = [a, b].map((side) => {
      const images: CoilImageMasks[] = []
      for (const member of store.coils.images(coil.id)) {
        const image = store.images.get(member.imageId)!
        const prediction = store.predictions.get(side.run.id, image.id)
        if (!prediction || image.height === null || image.width === null) continue
        const size = { height: image.height, width: image.width }
        const model = modelMasks(store, prediction, size, classIds.length, side.profile).map((m) => encodeRle(m, size.height, size.width))
        const human = new Map(classIds.flatMap((classId) => {
          const current = store.masks.current(image.id, classId)
          return current?.origin === 'human' ? [[classId, current.rle] as const] : []
        }))
        images.push({ imageId: image.id, positionMm: member.positionMm, width: size.width, height: size.height, masks: pickReviewedMasks(classIds, model, human).map((m) => ({ classId: m.classId, rle: m.mask })) })
      }
      return proposeDisposition({ lengthMm: coil.lengthMm, widthMm: coil.widthMm, defects: defectsOnCoil(images, geometry) }, rules.ruleSet)
    })
    const [pa, pb] = sides as [Proposal, Proposal]
    if (pa.outcome !== pb.outcome) changes.push({ coilId: coil.id, coil: coil.name, a: pa.outcome, b: pb.outcome, rulesA: firedRules(pa), rulesB: firedRules(pb) })
  }
  return { ruleSet: { name: rules.ruleSet.name, version: rules.ruleSet.version }, coils: coils.length, changes }
}

function firedRules(proposal: Proposal): string[] {
  return proposal.fired.map((f) => f.ruleId)
}
