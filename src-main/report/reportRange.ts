// The report over a time range: the range's images read in file order from their ids (R rows, not
// the run's), each with its review and reviewed masks as an export selection gives them, and the
// rest of the run — before and after the range — counted in SQL from what the store keeps per row.
import type { ExportImage, ExportMask, StreamedSelection } from '../export/index.ts'
import { reviewedMasks } from '../review/reviewedMasks.ts'
import type { ReviewStatus, Store } from '../store/index.ts'
import type { TimeRange } from '../../src-shared/reportRange.ts'

/** What an image's time is: said in the report. */
export const RANGE_TIME_BASIS = "when the run inspected the image (the time its result was stored: predictions.created_at_ms)"

/** Part of the run outside the range, as counted from the stored results. */
export interface RestPart {
  readonly images: number
  /** Images whose stored model masks (under the run's own thresholds) found a defect. */
  readonly defectiveImages: number
  readonly perClass: readonly { readonly classId: number; readonly images: number }[]
  readonly review: Readonly<Record<ReviewStatus, number>> & { readonly reviewed: number }
  /** Images with a mask a person drew or corrected. */
  readonly humanEditedImages: number
}

export interface ReportRange {
  readonly from: string
  readonly to: string
  readonly basis: string
  /** The run's first and last inspection times. */
  readonly runFirst: string
  readonly runLast: string
  readonly before: RestPart
  readonly after: RestPart
}

/** Asked for a range that holds none of the run's images. */
export class EmptyRangeError extends Error {}

const PAGE = 500
const FAR = Number.MAX_SAFE_INTEGER

/** The range's part of the report data; throws EmptyRangeError naming the range and the run's span when it is empty. */
export function describeRange(store: Store, runId: number, range: TimeRange, classIds: readonly number[]): ReportRange {
  const span = store.reportRange.span(runId)
  const iso = (ms: number) => new Date(ms).toISOString()
  const inRange = countPart(store, runId, range.fromMs, range.toMs, classIds)
  if (inRange.images === 0) {
    const spanText = span.firstMs === null ? 'the run has no inspected image' : `the run's images were inspected from ${iso(span.firstMs)} to ${iso(span.lastMs!)}`
    throw new EmptyRangeError(`no image of run ${runId} was inspected from ${iso(range.fromMs)} to ${iso(range.toMs)}: ${spanText}`)
  }
  return {
    from: iso(range.fromMs),
    to: iso(range.toMs),
    basis: RANGE_TIME_BASIS,
    runFirst: iso(span.firstMs!),
    runLast: iso(span.lastMs!),
    before: countPart(store, runId, -FAR, range.fromMs, classIds),
    after: countPart(store, runId, range.toMs, FAR, classIds),
  }
}

/** Counts of the images inspected in [fromMs, toMs), from the grouped rows the store answers. */
export function countPart(store: Store, runId: number, fromMs: number, toMs: number, classIds: readonly number[]): RestPart {
  const review = { unreviewed: 0, accepted: 0, rejected: 0, flagged: 0, reviewed: 0 }
  const perClass = new Map(classIds.map((classId) => [classId, 0]))
  let images = 0
  let defectiveImages = 0
  let humanEditedImages = 0
  for (const row of store.reportRange.countsInRange(runId, fromMs, toMs)) {
    images += row.images
    review[row.reviewStatus] += row.images
    if (row.reviewStatus !== 'unreviewed') review.reviewed += row.images
    if (row.classMask !== 0) defectiveImages += row.images
    if (row.isEdited) humanEditedImages += row.images
    for (const classId of classIds) if (row.classMask & (1 << (classId - 1))) perClass.set(classId, perClass.get(classId)! + row.images)
  }
  return { images, defectiveImages, perClass: [...perClass].map(([classId, n]) => ({ classId, images: n })), review, humanEditedImages }
}

/** The range's images in file order, as an export selection of the whole run gives them (rejected ones included). */
export function* rangeImages(store: Store, header: Pick<StreamedSelection, 'run' | 'classes' | 'profile'>, range: TimeRange): Generator<ExportImage> {
  const { run, profile } = header
  const classIds = header.classes.map((c) => c.id)
  const refs = store.reportRange.imagesInRange(run.id, range.fromMs, range.toMs)
  for (let start = 0; start < refs.length; start += PAGE) {
    const page = refs.slice(start, start + PAGE)
    const reviews = store.reviews.currentForImages(page.map((r) => r.resultImageId))
    for (const { imageId, resultImageId } of page) {
      const own = store.images.get(imageId)!
      const result = resultImageId === imageId ? own : store.images.get(resultImageId)!
      const image = { ...own, width: result.width, height: result.height }
      const masks = reviewedMasks(store, run.id, resultImageId, profile!)
      yield { image, review: reviews.get(resultImageId), masks: byClass(masks, classIds) }
    }
  }
}

function byClass(masks: readonly ExportMask[], classIds: readonly number[]): ExportMask[] {
  const found = new Map(masks.map((m) => [m.classId, m]))
  return classIds.map((classId) => found.get(classId) ?? { classId, rle: '', origin: 'model' })
}
