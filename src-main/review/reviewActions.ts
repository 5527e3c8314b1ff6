// What a reviewer does to an image, as store writes: a stroke ends (one edit, one human revision),
// a class is handed back to the model, an image is accepted, rejected or flagged. Every edit is
// checked first — the image, run and class exist, the masks are valid RLE at the image's size — and
// must name the revision it was made on, so an edit made on a mask that changed since is refused
// instead of silently replacing the newer one.
import { rleProblem } from '../../src-shared/rle.ts'
import type { ReviewStatus, Store } from '../store/index.ts'

export interface MaskEditInput {
  readonly imageId: number
  readonly classId: number
  readonly runId: number
  /** The class's mask as the screen showed it before the edit, and after (RLE at image size). */
  readonly beforeRle: string
  readonly afterRle: string
  /** The class's revision the edit was made on (0 when it had none); a newer one refuses the edit. */
  readonly baseRevision: number
  /** brush, eraser, fill, clear, accept-model… */
  readonly tool: string
  readonly author: string
}

/** An edit that cannot be stored as sent (unknown image or class, malformed mask). */
export class ReviewInputError extends Error {}

/** An edit made on a revision that is no longer the current one. */
export class EditConflictError extends Error {}

/** Records one undoable step (a whole stroke); returns the new revision number. */
export function saveMaskEdit(store: Store, input: MaskEditInput): number {
  return store.transaction(() => {
    const where = checkEdit(store, input)
    const problem = rleProblem(input.afterRle, where.height, where.width)
    if (problem) throw new ReviewInputError(`the edited mask of ${where.label} is not valid: ${problem}`)
    return store.edits.record({ ...input, origin: 'human' }).mask.revision
  })
}

/** Hands a class back to the model: it follows the thresholds again. */
export function revertToModel(store: Store, input: Omit<MaskEditInput, 'afterRle' | 'tool'>): number {
  return store.transaction(() => {
    checkEdit(store, input)
    const modelRle = store.masks.fromRun(input.runId, input.imageId).find((m) => m.classId === input.classId)?.rle ?? ''
    return store.edits.record({ ...input, afterRle: modelRle, tool: 'revert-to-model', origin: 'model' }).mask.revision
  })
}

export function setReview(store: Store, input: { imageId: number; status: ReviewStatus; author: string; note?: string }): void {
  if (!store.images.get(input.imageId)) throw new ReviewInputError(`no image ${input.imageId}`)
  store.reviews.record(input)
}

type EditTarget = Pick<MaskEditInput, 'imageId' | 'classId' | 'runId' | 'beforeRle' | 'baseRevision'>

function checkEdit(store: Store, input: EditTarget): { height: number; width: number; label: string } {
  const image = store.images.get(input.imageId)
  if (!image) throw new ReviewInputError(`no image ${input.imageId}`)
  const run = store.runs.get(input.runId)
  if (!run) throw new ReviewInputError(`no run ${input.runId}`)
  const modelSet = store.modelSets.get(run.modelSetId)!
  if (!modelSet.classes.some((c) => c.id === input.classId)) {
    throw new ReviewInputError(`no class ${input.classId} in model set ${modelSet.manifestId} (its classes are ${modelSet.classes.map((c) => c.id).join(', ')})`)
  }
  const label = `image ${image.id} (${image.relativePath}), class ${input.classId}`
  if (image.width === null || image.height === null) throw new ReviewInputError(`${label}: the image has not been inspected, its size is unknown`)
  const problem = rleProblem(input.beforeRle, image.height, image.width)
  if (problem) throw new ReviewInputError(`the mask before the edit of ${label} is not valid: ${problem}`)
  const current = store.masks.current(image.id, input.classId)?.revision ?? 0
  if (input.baseRevision !== current) {
    throw new EditConflictError(
      `${label} changed since this edit began: it is at revision ${current}, the edit was made on revision ${input.baseRevision}; reload the image and edit again`,
    )
  }
  return { height: image.height, width: image.width, label }
}
