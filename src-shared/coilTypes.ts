// The coils part of the contract: listing coils with their proposal and decision, one coil's map
// (images at their positions, every defect in physical units), a decision, and the rule set.
import type { CoilGeometry } from './coilGeometry.ts'
import type { CoilGrouping } from './coilGrouping.ts'
import type { CoilDefect, Disposition, Proposal } from './disposition.ts'

export type { CoilBox, CoilGeometry } from './coilGeometry.ts'
export type { CoilGrouping } from './coilGrouping.ts'
export type { CoilDefect, Disposition, FiredPlace, FiredRule, Proposal } from './disposition.ts'

export interface CoilDecisionView {
  readonly id: number
  readonly coilId: number
  readonly runId: number
  readonly ruleSetId: number
  readonly proposed: Disposition
  readonly action: 'confirm' | 'override'
  readonly disposition: Disposition
  readonly note: string
  readonly author: string
  readonly createdAtMs: number
}

export interface CoilSummary {
  readonly id: number
  readonly source: string
  readonly name: string
  readonly images: number
  readonly lengthMm: number
  readonly widthMm: number
  readonly runId: number | null
  readonly imagesWithoutResult: number
  /** Defect count per class id present in the masks. */
  readonly defectsPerClass: Readonly<Record<number, number>>
  readonly defectAreaMm2PerClass: Readonly<Record<number, number>>
  readonly proposal: Proposal | null
  readonly decision: CoilDecisionView | null
  /** The decision no longer answers what the coil shows now; why in decisionStaleBecause. */
  readonly decisionOutOfDate: boolean
  /** e.g. 'masks edited since', 'a newer run since', 'threshold profile changed since'. */
  readonly decisionStaleBecause: readonly string[]
  /** The rule set version the decision answered. */
  readonly decisionRuleSet: { readonly name: string; readonly version: number } | null
}

export interface CoilList {
  readonly coils: readonly CoilSummary[]
  /** Files the grouping could not place, per source. */
  readonly problems: readonly { readonly source: string; readonly file: string; readonly problem: string }[]
  readonly ruleSet: { readonly name: string; readonly version: number } | null
}

export interface CoilMapImage {
  readonly imageId: number
  readonly relativePath: string
  readonly seq: number
  readonly positionMm: number
  readonly lengthMm: number
}

export interface CoilMap {
  readonly summary: CoilSummary
  readonly geometry: CoilGeometry
  readonly images: readonly CoilMapImage[]
  readonly defects: readonly CoilDefect[]
}

/** A source's coil settings as in force, and what the grouping could not place. */
export interface CoilSettingsView {
  readonly sourceId: number
  readonly grouping: CoilGrouping
  /** No grouping was chosen: the default for the source's images is in force. */
  readonly isDefaultGrouping: boolean
  readonly geometry: CoilGeometry
  /** Coils holding images under this grouping. */
  readonly coils: number
  /** Each file the grouping could not place, with why. */
  readonly problems: readonly { readonly file: string; readonly problem: string }[]
}

export interface RuleSetVersion {
  readonly name: string
  readonly version: number
  readonly createdAtMs: number
  readonly active: boolean
}

export interface CoilApiMethods {
  /** Regroups the source's coils from its settings and returns the settings with the problems. */
  getCoilSettings(input: { readonly sourceId: number }): Promise<CoilSettingsView>
  /**
   * Validates and stores a source's grouping (null: back to the default) and geometry, then
   * regroups. A CSV mapping must lie inside the source folder.
   */
  setCoilSettings(input: { readonly sourceId: number; readonly grouping: CoilGrouping | null; readonly geometry: CoilGeometry }): Promise<CoilSettingsView>
  /** Every stored rule set version, by name and version. */
  listRuleSets(): Promise<readonly RuleSetVersion[]>
  /** Regroups the sources' coils from their settings and lists them (every source when sourceId is null). */
  listCoils(input: { readonly sourceId: number | null }): Promise<CoilList>
  getCoilMap(input: { readonly coilId: number }): Promise<CoilMap>
  /**
   * Records the reviewer's decision on the current proposal of the active rule set. `proposed` is
   * the outcome the reviewer saw; if the proposal has changed since, nothing is recorded.
   */
  decideCoil(input: { readonly coilId: number; readonly proposed: Disposition; readonly disposition: Disposition; readonly note: string }): Promise<CoilDecisionView>
  /** Validates, stores and activates a rule set given as JSON text. */
  importRuleSet(input: { readonly json: string }): Promise<{ readonly name: string; readonly version: number }>
  /** The active rule set as JSON text, or null when there is none. */
  exportRuleSet(): Promise<string | null>
}
