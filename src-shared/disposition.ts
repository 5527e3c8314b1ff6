// Disposition as a pure function: a coil's defects in physical units and a rule set in, a proposal
// out — the worst outcome of the rules that fired (accept when none did), and for each fired rule
// the value it measured and where on the coil it fired.
import type { CoilBox } from './coilGeometry.ts'
import type { Disposition } from './dispositionOutcome.ts'
import type { Rule, RuleSet } from './dispositionRules.ts'

export type { Disposition }

export interface CoilDefect {
  readonly imageId: number
  readonly classId: number
  readonly areaMm2: number
  readonly box: CoilBox
}

export interface CoilForDisposition {
  readonly lengthMm: number
  readonly widthMm: number
  readonly defects: readonly CoilDefect[]
}

/** A place a rule fired: one defect (imageId set) or one metre of the coil (imageId null). */
export interface FiredPlace extends CoilBox {
  readonly imageId: number | null
}

export interface FiredRule {
  readonly ruleId: string
  readonly outcome: Disposition
  readonly reason: string
  /** What the rule measured at its worst place: mm² for areas, a count for counts. */
  readonly value: number
  readonly where: readonly FiredPlace[]
}

export interface Proposal {
  readonly outcome: Disposition
  readonly ruleSet: { readonly name: string; readonly version: number }
  readonly fired: readonly FiredRule[]
}

const SEVERITY: Record<Disposition, number> = { accept: 0, downgrade: 1, reject: 2 }
const METRE_MM = 1000

export function isInEdgeBand(box: CoilBox, widthMm: number, edgeBandMm: number): boolean {
  return box.acrossFromMm < edgeBandMm || box.acrossToMm > widthMm - edgeBandMm
}

export function proposeDisposition(coil: CoilForDisposition, ruleSet: RuleSet): Proposal {
  const fired = ruleSet.rules.flatMap((rule) => {
    const result = evaluateRule(rule, selectDefects(rule, coil, ruleSet.edgeBandMm), coil.widthMm)
    return result ? [{ ruleId: rule.id, outcome: rule.outcome, reason: rule.reason, ...result }] : []
  })
  const outcome = fired.reduce<Disposition>((worst, f) => (SEVERITY[f.outcome] > SEVERITY[worst] ? f.outcome : worst), 'accept')
  return { outcome, ruleSet: { name: ruleSet.name, version: ruleSet.version }, fired }
}

function selectDefects(rule: Rule, coil: CoilForDisposition, edgeBandMm: number): CoilDefect[] {
  const minArea = rule.kind === 'defectArea' ? 0 : rule.minDefectAreaMm2
  return coil.defects.filter((d) => {
    if (rule.classes.length > 0 && !rule.classes.includes(d.classId)) return false
    if (d.areaMm2 < minArea) return false
    if (rule.zone === 'anywhere') return true
    return isInEdgeBand(d.box, coil.widthMm, edgeBandMm) === (rule.zone === 'edge')
  })
}

function evaluateRule(rule: Rule, defects: readonly CoilDefect[], widthMm: number): { value: number; where: FiredPlace[] } | null {
  if (rule.kind === 'defectArea') {
    const big = defects.filter((d) => d.areaMm2 >= rule.atLeastMm2)
    return big.length === 0 ? null : { value: Math.max(...big.map((d) => d.areaMm2)), where: big.map(placeOf) }
  }
  const measure = rule.kind === 'count' ? (ds: readonly CoilDefect[]) => ds.length : (ds: readonly CoilDefect[]) => sumArea(ds)
  const bound = rule.kind === 'count' ? rule.atLeast : rule.atLeastMm2
  if (rule.per === 'coil') {
    const value = measure(defects)
    return value >= bound ? { value, where: defects.map(placeOf) } : null
  }
  const metres = [...byMetre(defects)].map(([metre, ds]) => ({ metre, value: measure(ds) })).filter((m) => m.value >= bound)
  if (metres.length === 0) return null
  return {
    value: Math.max(...metres.map((m) => m.value)),
    where: metres.map(({ metre }) => ({
      imageId: null, alongFromMm: metre * METRE_MM, alongToMm: (metre + 1) * METRE_MM, acrossFromMm: 0, acrossToMm: widthMm,
    })),
  }
}

/** Defects by the metre of the coil their head-most point lies in (metre k covers [k m, k+1 m)). */
function byMetre(defects: readonly CoilDefect[]): Map<number, CoilDefect[]> {
  const metres = new Map<number, CoilDefect[]>()
  for (const d of defects) {
    const metre = Math.floor(d.box.alongFromMm / METRE_MM)
    const list = metres.get(metre) ?? metres.set(metre, []).get(metre)!
    list.push(d)
  }
  return new Map([...metres].sort(([a], [b]) => a - b))
}

function sumArea(defects: readonly CoilDefect[]): number {
  return defects.reduce((sum, d) => sum + d.areaMm2, 0)
}

function placeOf(d: CoilDefect): FiredPlace {
  return { imageId: d.imageId, ...d.box }
}
