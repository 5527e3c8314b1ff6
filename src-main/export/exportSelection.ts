// What an export writes: the images of a source that have a current result in a run, each with one
// mask per class — as the model made it (the run's stored model masks) or as reviewed (human
// revisions where the latest revision is human, else the model's masks re-derived from the stored
// probability maps under a threshold profile). Rejected images are kept, left out or emptied.
import { rleProblem } from '../../src-shared/rle.ts'
import { runDefaultProfile, type ThresholdProfile } from '../../src-shared/thresholdProfile.ts'
import { listProfiles, profileForRun, reviewedMasks } from '../review/index.ts'
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

export function selectForExport(store: Store, options: SelectionOptions): ExportSelection {
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
  const images: ExportImage[] = []
  let rejectedImages = 0
  const all = store.images.listBySource(options.sourceId)
  // A file whose content changed since the run saw it has no current result.
  const hasResult = (image: ImageRecord) => image.sha256 !== null && store.predictions.get(run.id, image.id)?.imageSha256 === image.sha256
  // Identical files are inspected once: a copy stands on the result of the file it copies.
  const inspectedBySha = new Map(all.filter(hasResult).map((image) => [image.sha256!, image]))
  for (const listed of all) {
    const inspected = hasResult(listed) ? listed : listed.sha256 !== null ? inspectedBySha.get(listed.sha256) : undefined
    if (!inspected) continue
    const image = inspected === listed ? listed : { ...listed, width: inspected.width, height: inspected.height }
    const review = store.reviews.current(inspected.id)
    const isRejected = review?.status === 'rejected'
    if (isRejected && rejected !== 'include') rejectedImages++
    if (isRejected && rejected === 'exclude') continue
    const masks =
      isRejected && rejected === 'empty'
        ? classIds.map((classId) => ({ classId, rle: '', origin: 'model' as const }))
        : profile
          ? reviewedMasks(store, run.id, inspected.id, profile)
          : modelMasks(store, run.id, inspected.id, classIds)
    const exported = byClass(masks, classIds)
    requireValidMasks(image, exported)
    images.push({ image, review, masks: exported })
  }
  return { run, modelSet, classes: modelSet.classes, maskSource, profile, rejected, images, rejectedImages }
}

/** A saved profile by name (or the run's own settings by their name), else the run's profile. */
export function resolveProfile(store: Store, run: RunRecord, name: string | undefined): ThresholdProfile {
  if (name === undefined) return profileForRun(store, run.id)
  const own = runDefaultProfile(run)
  if (name === own.name) return own
  const saved = listProfiles(store).find((p) => p.name === name)
  if (!saved) {
    const names = [own.name, ...listProfiles(store).map((p) => p.name)].map((n) => `"${n}"`).join(', ')
    throw new Error(`no threshold profile named "${name}"; profiles: ${names}`)
  }
  return saved
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

function modelMasks(store: Store, runId: number, imageId: number, classIds: readonly number[]): ExportMask[] {
  const stored = new Map(store.masks.fromRun(runId, imageId).map((m) => [m.classId, m.rle]))
  return classIds.map((classId) => ({ classId, rle: stored.get(classId) ?? '', origin: 'model' }))
}

/** Exactly one mask per class of the model set, in class order; a class with none is empty. */
function byClass(masks: readonly ExportMask[], classIds: readonly number[]): ExportMask[] {
  const found = new Map(masks.map((m) => [m.classId, m]))
  return classIds.map((classId) => found.get(classId) ?? { classId, rle: '', origin: 'model' })
}
