// Everything the inspection report states, as one plain JSON-safe record gathered from the store.
// The report reflects the review: masks are the reviewed ones (human revisions where edited, model
// masks re-derived under the threshold profile elsewhere); rejected images stay in and are marked.
// The HTML embeds this record, so every number printed can be checked against the database.
// A report over a time range reads only the range's images and counts the rest (reportRange.ts).
import { APP_VERSION } from '../appInfo.ts'
import { streamSelection } from '../export/index.ts'
import type { Store } from '../store/index.ts'
import { BestOf, EvenSample } from './boundedLists.ts'
import { maskMoments } from './maskMoments.ts'
import { describeRange, rangeImages } from './reportRange.ts'
import type { GalleryOrder, ReportData, ReportDefect, ReportImageRow, ReportOptions } from './reportTypes.ts'
import { standingEdits } from '../review/standingEdits.ts'

export type { GalleryOrder, ReportData, ReportDefect, ReportImageRow, ReportOptions, ReportSummary } from './reportTypes.ts'

/** The setting that holds a standing sign-off name (a string); --signed-off-by overrides it. */
export const SIGN_OFF_SETTING = 'report.signedOffBy'
export { REPORT_GALLERY_ORDERS as GALLERY_ORDERS } from '../../src-shared/exportTypes.ts'
import { REPORT_GALLERY_ORDERS as GALLERY_ORDERS } from '../../src-shared/exportTypes.ts'

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
  // A range is checked (an empty one refused) before any image is read.
  const range = options.range && describeRange(store, run.id, options.range, classes.map((c) => c.id))
  const images = options.range ? rangeImages(store, selection, options.range) : selection.images()
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
  for (const { image, review: latest, masks } of images) {
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
    ...(range ? { range } : {}),
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
