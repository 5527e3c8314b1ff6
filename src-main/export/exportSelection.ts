// What an export writes: the images of a source that have a current result in a run, each with one
// mask per class — as the model made it (the run's stored model masks) or as reviewed (human
// revisions where the latest revision is human, else the model's masks re-derived from the stored
// probability maps under a threshold profile). Rejected images are kept, left out or emptied.
import { rleProblem } from '../../src-shared/rle.ts'
import type { ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import { profileForRun, resolveProfileRef, reviewedMasks } from '../review/index.ts'
import type { ImageRecord, ModelSetClass, ModelSetRecord, ReviewRecord, RunRecord, Store } from '../store/index.ts'

export { EXPORT_MASK_SOURCES as MASK_SOURCES } from '../../src-shared/exportTypes.ts'
import { EXPORT_MASK_SOURCES as MASK_SOURCES, EXPORT_REJECTED_POLICIES as REJECTED_POLICIES } from '../../src-shared/exportTypes.ts'
export type MaskSource = (typeof MASK_SOURCES)[number]

/** What to do with an image whose latest review is 'rejected'. */
export { REJECTED_POLICIES }
export type RejectedPolicy = (typeof REJECTED_POLICIES)[number]

export interface SelectionOptions {
  readonly sourceId: number
  readonly runId: number
  /** Default 'model'. */
  readonly masks?: MaskSource
  /** Reviewed masks only: a saved profile's name; default the profile applied to the run. */
  readonly profileName?: string
  /** Default: 'include' for model masks, 'exclude' for reviewed masks. */
  readonly rejected?: RejectedPolicy
}

export interface ExportMask {
  readonly classId: number
  /** Kaggle RLE at image size; '' when empty. */
  readonly rle: string
  readonly origin: 'model' | 'human'
}

export interface ExportImage {
  readonly image: ImageRecord
  /** Latest review; undefined when never reviewed. */
  readonly review: ReviewRecord | undefined
  /** One mask per class of the model set, in class order. */
  readonly masks: readonly ExportMask[]
}

export interface ExportSelection {
  readonly run: RunRecord
  readonly modelSet: ModelSetRecord
  readonly classes: readonly ModelSetClass[]
  readonly maskSource: MaskSource
  /** The profile reviewed masks were derived under; null for model masks. */
  readonly profile: ThresholdProfile | null
  readonly rejected: RejectedPolicy
  readonly images: readonly ExportImage[]
  /** Rejected images left out (policy 'exclude') or emptied (policy 'empty'). */
  readonly rejectedImages: number
}

export function defaultRejectedPolicy(masks: MaskSource): RejectedPolicy {
  return masks === 'model' ? 'include' : 'exclude'
}

/** What an export is about, before any image is read. */
export type SelectionHeader = Omit<ExportSelection, 'images' | 'rejectedImages'>

/**
 * An export's images read from the store a page at a time, so a source of any size streams in
 * bounded memory. Each call of `images` reads the store again; `counts` holds what the last full
 * pass saw.
 */
export interface StreamedSelection extends SelectionHeader {
  /** `withMasks: false` reads no mask (for a first pass that lists the images only). */
  images(withMasks?: boolean): Generator<ExportImage>
  readonly counts: { images: number; rejectedImages: number }
}

const PAGE = 500

/** `pageSize`: images read per statement. */
export function streamSelection(store: Store, options: SelectionOptions, pageSize = PAGE): StreamedSelection {
  const run = store.runs.get(options.runId)
  if (!run) throw new Error(`no run ${options.runId} in ${store.path}`)
  const modelSet = store.modelSets.get(run.modelSetId)!
  const maskSource = options.masks ?? 'model'
  if (maskSource === 'model' && options.profileName !== undefined) {
    throw new Error('a threshold profile applies to reviewed masks only; model masks are what the run stored')
  }
  const profile = maskSource === 'reviewed' ? resolveProfile(store, run, options.profileName) : null
  const rejected = options.rejected ?? defaultRejectedPolicy(maskSource)
  const classIds = modelSet.classes.map((c) => c.id)
  const counts = { images: 0, rejectedImages: 0 }

  function* images(withMasks = true): Generator<ExportImage> {
    const seen = { images: 0, rejectedImages: 0 }
    let afterPath: string | null = null
    for (;;) {
      // A file whose content changed since the run saw it has no current result: not listed.
      const page = store.images.pageWithResult(options.sourceId, run!.id, afterPath, pageSize)
      const ids = page.map((row) => row.resultImageId)
      const reviews = store.reviews.currentForImages(ids)
      const stored = profile || !withMasks ? null : store.masks.fromRunForImages(run!.id, ids)
      for (const { image, resultImageId } of page) {
        const review = reviews.get(resultImageId)
        const isRejected = review?.status === 'rejected'
        if (isRejected && rejected !== 'include') seen.rejectedImages++
        if (isRejected && rejected === 'exclude') continue
        seen.images++
        const masks = !withMasks
          ? []
          : isRejected && rejected === 'empty'
            ? classIds.map((classId) => ({ classId, rle: '', origin: 'model' as const }))
            : profile
              ? reviewedMasks(store, run!.id, resultImageId, profile)
              : modelMasks(stored!.get(resultImageId) ?? [], classIds)
        const exported = withMasks ? byClass(masks, classIds) : []
        requireValidMasks(image, exported)
        yield { image, review, masks: exported }
      }
      if (page.length < pageSize) break
      afterPath = page[page.length - 1].image.relativePath
    }
    Object.assign(counts, seen)
  }

  return { run, modelSet, classes: modelSet.classes, maskSource, profile, rejected, images, counts }
}

/** The whole selection in memory (the report and the PNG folders read it so). */
export function selectForExport(store: Store, options: SelectionOptions): ExportSelection {
  const { images, counts, ...header } = streamSelection(store, options)
  const all = [...images()]
  return { ...header, images: all, rejectedImages: counts.rejectedImages }
}

/** A saved profile by name ("name" or "name@version"), or the run's own settings by their name; else the run's profile. */
export function resolveProfile(store: Store, run: RunRecord, name: string | undefined): ThresholdProfile {
  return name === undefined ? profileForRun(store, run.id) : resolveProfileRef(store, run, name)
}

/** A stored mask that is not valid RLE at its image's size; the message names the image and class. */
export class CorruptMaskError extends Error {}

function requireValidMasks(image: ImageRecord, masks: readonly ExportMask[]): void {
  if (image.height === null || image.width === null) return
  for (const mask of masks) {
    const problem = mask.rle === '' ? null : rleProblem(mask.rle, image.height, image.width)
    if (problem) throw new CorruptMaskError(`${image.relativePath} (image ${image.id}), class ${mask.classId}: the stored ${mask.origin} mask is not valid: ${problem}; nothing was written`)
  }
}

function modelMasks(fromRun: readonly { classId: number; rle: string }[], classIds: readonly number[]): ExportMask[] {
  const stored = new Map(fromRun.map((m) => [m.classId, m.rle]))
  return classIds.map((classId) => ({ classId, rle: stored.get(classId) ?? '', origin: 'model' }))
}

/** Exactly one mask per class of the model set, in class order; a class with none is empty. */
function byClass(masks: readonly ExportMask[], classIds: readonly number[]): ExportMask[] {
  const found = new Map(masks.map((m) => [m.classId, m]))
  return classIds.map((classId) => found.get(classId) ?? { classId, rle: '', origin: 'model' })
}
