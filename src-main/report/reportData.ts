// Everything the inspection report states, as one plain JSON-safe record gathered from the store.
// The report reflects the review: masks are the reviewed ones (human revisions where edited, model
// masks re-derived under the threshold profile elsewhere); rejected images stay in and are marked.
// The HTML embeds this record, so every number printed can be checked against the database.
import type { FitReport } from '../../src-shared/imageFit.ts'
import { APP_VERSION } from '../appInfo.ts'
import { streamSelection } from '../export/index.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import type { ModelSetClass, ModelSetMember, ReviewStatus, Store } from '../store/index.ts'
import { BestOf, EvenSample } from './boundedLists.ts'
import { maskMoments } from './maskMoments.ts'
import { standingEdits } from '../review/standingEdits.ts'

/** The setting that holds a standing sign-off name (a string); --signed-off-by overrides it. */
export const SIGN_OFF_SETTING = 'report.signedOffBy'
export { REPORT_GALLERY_ORDERS as GALLERY_ORDERS } from '../../src-shared/exportTypes.ts'
import { REPORT_GALLERY_ORDERS as GALLERY_ORDERS } from '../../src-shared/exportTypes.ts'
export type GalleryOrder = (typeof GALLERY_ORDERS)[number]

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
}

export interface ReportDefect {
  readonly imageId: number
  readonly image: string
  /** Position of the image in file order (0-based): the report's axis along the strip length. */
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
}

/** A report of a large source summarises: the table lists this many images, the charts draw this many defects. */
export const REPORT_TABLE_ROWS = 1000
export const REPORT_CHART_DEFECTS = 5000

/** Key of one (image, class) defect. */
export function defectKey(defect: Pick<ReportDefect, 'imageId' | 'classId'>): string {
  return `${defect.imageId}:${defect.classId}`
}

export function collectReportData(store: Store, options: ReportOptions): ReportData {
  return gatherReport(store, options).data
}

/** The report's data, and the reviewed RLE of every defect it counts (by defectKey) for drawing. */
export function gatherReport(store: Store, options: ReportOptions): { data: ReportData; rles: ReadonlyMap<string, string> } {
  const source = store.sources.get(options.sourceId)
  if (!source) throw new Error(`no source ${options.sourceId} in ${store.path}`)
  // Read a page of images at a time and keep only bounded lists: a source of any size fits.
  const selection = streamSelection(store, {
    sourceId: source.id,
    runId: options.runId,
    masks: 'reviewed',
    profileName: options.profileName,
    rejected: 'include',
  })
  const { run, modelSet, classes } = selection
  const review = { unreviewed: 0, accepted: 0, rejected: 0, flagged: 0, reviewed: 0 }
  const reviewers = new Set<string>()
  const chartDefects = new EvenSample<ReportDefect>(REPORT_CHART_DEFECTS)
  const galleryOrder = options.galleryOrder ?? 'largest'
  const gallery = new BestOf<{ defect: ReportDefect; rle: string }>(options.galleryCount ?? 12, (a, b) => GALLERY_RANK[galleryOrder](a.defect, b.defect))
  const perClass = new Map(classes.map((c) => [c.id, { classId: c.id, images: 0, areaPx: 0, maxAreaPx: 0 }]))
  const rows: ReportImageRow[] = []
  let frame = 0
  let defectiveImages = 0
  let humanEdits = 0
  let humanEditedImages = 0
  let humanMasks = 0
  for (const { image, review: latest, masks } of selection.images()) {
    const status = latest?.status ?? 'unreviewed'
    review[status]++
    if (status !== 'unreviewed') review.reviewed++
    for (const r of store.reviews.history(image.id)) reviewers.add(r.author)
    const allEdits = store.edits.listForImage(image.id)
    for (const e of allEdits) reviewers.add(e.author) // who edited a mask reviewed it too
    const edits = standingEdits(allEdits, masks)
    humanEdits += edits.length
    if (edits.length > 0) humanEditedImages++
    const prediction = store.predictions.get(run.id, image.id)!
    const peak = new Map(prediction.classStats.map((s) => [s.classId, s.maxProbability]))
    const present = masks.filter((m) => m.rle !== '')
    humanMasks += masks.filter((m) => m.origin === 'human').length
    const areas: { classId: number; areaPx: number; origin: 'model' | 'human' }[] = []
    for (const mask of present) {
      const moments = maskMoments(mask.rle, image.height!)
      const defect: ReportDefect = {
        imageId: image.id,
        image: image.relativePath,
        frame,
        classId: mask.classId,
        areaPx: moments.area,
        centroidX: round1(moments.centroidX),
        centroidY: round1(moments.centroidY),
        bbox: moments.bbox,
        origin: mask.origin,
        maxProbability: mask.origin === 'human' ? null : (peak.get(mask.classId) ?? null),
        reviewStatus: status,
      }
      chartDefects.add(defect)
      if (galleryOrder === 'largest' || defect.maxProbability !== null) gallery.add({ defect, rle: mask.rle })
      const ofClass = perClass.get(mask.classId)
      if (ofClass) {
        ofClass.images++
        ofClass.areaPx += moments.area
        ofClass.maxAreaPx = Math.max(ofClass.maxAreaPx, moments.area)
      }
      areas.push({ classId: mask.classId, areaPx: moments.area, origin: mask.origin })
    }
    if (areas.length > 0) {
      defectiveImages++
      if (rows.length < REPORT_TABLE_ROWS) {
        rows.push({
          imageId: image.id,
          image: image.relativePath,
          frame,
          gateProbability: prediction.gateProbability,
          classes: areas,
          reviewStatus: status,
          reviewer: latest?.author ?? null,
          note: latest?.note ?? '',
          edits: edits.length,
        })
      }
    }
    frame++
  }
  const rles = new Map(gallery.items().map(({ defect, rle }) => [defectKey(defect), rle]))
  const failedImages = store.imageTable.statusCounts().find((c) => c.sourceId === source.id && c.status === 'failed')?.count ?? 0
  const signedOff = signOff(store, options.signedOffBy)
  const now = options.now ?? new Date()
  const data: ReportData = {
    schema: 1,
    generatedAt: now.toISOString(),
    appVersion: APP_VERSION,
    source: { id: source.id, folderPath: source.folderPath },
    run: {
      id: run.id,
      status: run.status,
      startedAt: new Date(run.startedAtMs).toISOString(),
      finishedAt: run.finishedAtMs === null ? null : new Date(run.finishedAtMs).toISOString(),
      providerRequested: run.providerRequested,
      providerUsed: run.providerUsed,
      providerFallbackReason: run.providerFallbackReason,
      ortVersion: run.ortVersion,
      appVersion: run.appVersion,
      tta: run.tta,
    },
    modelSet: { manifestId: modelSet.manifestId, version: modelSet.version, manifestSha256: modelSet.manifestSha256, members: modelSet.members },
    profile: selection.profile!,
    classes,
    reviewers: [...reviewers].sort(),
    signOff: signedOff,
    summary: {
      images: frame,
      defectiveImages,
      failedImages,
      perClass: [...perClass.values()],
      review,
      humanEdits,
      humanEditedImages,
      humanMasks,
    },
    defects: chartDefects.items(),
    defectiveImages: rows,
    gallery: { order: galleryOrder, defects: gallery.items().map(({ defect }) => defect) },
    limits: { chartDefects: REPORT_CHART_DEFECTS, tableRows: REPORT_TABLE_ROWS, totalDefects: chartDefects.seen },
  }
  return { data, rles }
}

/** Gallery orders: the largest first, or the lowest peak probability; the earlier frame on a tie. */
const GALLERY_RANK: Record<GalleryOrder, (a: ReportDefect, b: ReportDefect) => number> = {
  largest: (a, b) => b.areaPx - a.areaPx || a.frame - b.frame,
  uncertain: (a, b) => a.maxProbability! - b.maxProbability! || a.frame - b.frame,
}

function signOff(store: Store, flag: string | undefined): ReportData['signOff'] {
  if (flag !== undefined && flag.trim() !== '') return { name: flag.trim(), origin: 'flag' }
  const setting = store.settings.get(SIGN_OFF_SETTING)
  if (typeof setting === 'string' && setting.trim() !== '') return { name: setting.trim(), origin: 'setting' }
  return { name: null, origin: null }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}
