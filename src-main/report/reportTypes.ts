// The inspection report's data as one plain JSON-safe record: what the HTML embeds and prints.
import type { FitReport } from '../../src-shared/imageFit.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { TimeRange } from '../../src-shared/reportRange.ts'
import type { REPORT_GALLERY_ORDERS } from '../../src-shared/exportTypes.ts'
import type { ModelSetClass, ModelSetMember, ReviewStatus } from '../store/index.ts'
import type { ReportRange } from './reportRange.ts'

export type GalleryOrder = (typeof REPORT_GALLERY_ORDERS)[number]
export interface ReportOptions {
  readonly sourceId: number
  readonly runId: number
  /** A saved threshold profile's name; default the profile applied to the run. */
  readonly profileName?: string
  /** Overrides the sign-off setting. */
  readonly signedOffBy?: string
  /** Defects shown in the gallery (default 12) and which: the largest, or the least certain. */
  readonly galleryCount?: number
  readonly galleryOrder?: GalleryOrder
  readonly now?: Date
  /** Folders holding model sets (or a set's own folder), where the run's set is looked up for its provenance and fit. */
  readonly modelSetRoots?: readonly string[]
  /** Report in full only the images inspected in this range (from ≤ t < to); the rest of the run is summarised. */
  readonly range?: TimeRange
}

export interface ReportDefect {
  readonly imageId: number
  readonly image: string
  /** Position of the image in file order (0-based; among the range's images when the report has a range): the report's axis along the strip length. */
  readonly frame: number
  readonly classId: number
  readonly areaPx: number
  /** Mask centroid in image pixels; x runs across the strip width. */
  readonly centroidX: number
  readonly centroidY: number
  readonly bbox: readonly [number, number, number, number]
  readonly origin: 'model' | 'human'
  /** The model's peak probability for the class in the image; null for a human mask. */
  readonly maxProbability: number | null
  readonly reviewStatus: ReviewStatus
}

export interface ReportImageRow {
  readonly imageId: number
  readonly image: string
  readonly frame: number
  readonly gateProbability: number | null
  readonly classes: readonly { readonly classId: number; readonly areaPx: number; readonly origin: 'model' | 'human' }[]
  readonly reviewStatus: ReviewStatus
  readonly reviewer: string | null
  readonly note: string
  readonly edits: number
}

export interface ReportSummary {
  readonly images: number
  readonly defectiveImages: number
  /** Images of the source that failed to decode or run (no result). */
  readonly failedImages: number
  readonly perClass: readonly { readonly classId: number; readonly images: number; readonly areaPx: number; readonly maxAreaPx: number }[]
  readonly review: Readonly<Record<ReviewStatus, number>> & { readonly reviewed: number }
  /** Edit rows (brush strokes, fills …) on the report's images. */
  readonly humanEdits: number
  readonly humanEditedImages: number
  /** (image, class) masks that are human revisions. */
  readonly humanMasks: number
}

export interface ReportData {
  readonly schema: 1
  readonly generatedAt: string
  readonly appVersion: string
  readonly source: { readonly id: number; readonly folderPath: string }
  readonly run: {
    readonly id: number
    readonly status: string
    readonly startedAt: string
    readonly finishedAt: string | null
    readonly providerRequested: string
    readonly providerUsed: string | null
    readonly providerFallbackReason: string | null
    readonly ortVersion: string | null
    readonly appVersion: string
    readonly tta: readonly string[]
  }
  readonly modelSet: {
    readonly manifestId: string
    readonly version: string
    readonly manifestSha256: string
    readonly members: readonly ModelSetMember[]
    /** What the set was trained on (its manifest's provenance); null when not recorded or not found. */
    readonly trainedOn?: string | null
    readonly synthetic?: boolean
  }
  /** Whether the source's images look like the set's training images; null when it cannot be told. */
  readonly fit?: FitReport | null
  readonly profile: ThresholdProfile
  readonly classes: readonly ModelSetClass[]
  readonly reviewers: readonly string[]
  readonly signOff: { readonly name: string | null; readonly origin: 'flag' | 'setting' | null }
  readonly summary: ReportSummary
  /** The defects the charts draw: every one, or an even sample across the source when there are more than `limits.chartDefects`. */
  readonly defects: readonly ReportDefect[]
  /** The defective images in file order, the first `limits.tableRows` of them. */
  readonly defectiveImages: readonly ReportImageRow[]
  readonly gallery: { readonly order: GalleryOrder; readonly defects: readonly ReportDefect[] }
  /** How much a large source's report lists; the summary counts everything. */
  readonly limits: { readonly chartDefects: number; readonly tableRows: number; readonly totalDefects: number }
  /** Present when the report covers a time range: the range, what an image's time is, and the rest of the run counted. */
  readonly range?: ReportRange
}
