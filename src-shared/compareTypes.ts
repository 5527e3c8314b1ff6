// The comparison part of the contract: compare two sides of a source (runs, model sets or profiles,
// written as the CLI writes them), one image's masks on both sides for the overlay, and the
// source's model-set decisions (append-only).
import type { ClassAgreement, ImageDisagreement, TruthComparison } from './compare/compareStats.ts'

export type { ClassAgreement, ClassTruthComparison, ImageDisagreement, TruthComparison } from './compare/compareStats.ts'
export type { Interval } from './compare/bootstrap.ts'

export interface CompareSideView {
  /** As asked: "<run id>[:profile]" or a model-set folder. */
  readonly spec: string
  readonly label: string
  readonly runId: number
  readonly modelSet: { readonly id: number; readonly manifestId: string; readonly version: string }
  readonly profile: string
}

export interface CompareView {
  readonly sourceId: number
  readonly a: CompareSideView
  readonly b: CompareSideView
  readonly classes: readonly { readonly id: number; readonly name: string; readonly color: string }[]
  readonly images: number
  readonly truth: { readonly kind: 'csv' | 'reviewed' | 'none'; readonly description: string }
  readonly agreement: readonly ClassAgreement[]
  readonly truthComparison: TruthComparison | null
  /** Most-disagreeing first; images where A and B agree are left out. */
  readonly ranking: readonly ImageDisagreement[]
  readonly dispositionChanges: readonly { readonly coil: string; readonly a: string; readonly b: string }[]
}

export interface CompareImageView {
  readonly imageId: number
  readonly name: string
  readonly height: number
  readonly width: number
  /** Per class: A's and B's masks under their profiles, Kaggle RLE at image size. */
  readonly classes: readonly { readonly classId: number; readonly rleA: string; readonly rleB: string }[]
}

export interface SourceModelDecisionView {
  readonly id: number
  readonly sourceId: number
  readonly modelSet: { readonly id: number; readonly manifestId: string; readonly version: string }
  readonly runId: number
  readonly comparedRunId: number
  readonly note: string
  readonly author: string
  readonly createdAtMs: number
}

export interface CompareApiMethods {
  /** Compares side B with side A on the source; a model-set folder that has not run there is run first. */
  compareRuns(input: { readonly sourceId: number; readonly a: string; readonly b: string }): Promise<CompareView>
  getCompareImage(input: { readonly sourceId: number; readonly a: string; readonly b: string; readonly imageId: number }): Promise<CompareImageView>
  /** Records that B becomes the source's model set from now on (who and when are added; why is the note). */
  decideSourceModelSet(input: { readonly sourceId: number; readonly a: string; readonly b: string; readonly note: string }): Promise<SourceModelDecisionView>
  listSourceModelDecisions(input: { readonly sourceId: number }): Promise<SourceModelDecisionView[]>
}
