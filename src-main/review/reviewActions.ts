// What a reviewer does to an image, as store writes: a stroke ends (one edit, one human revision),
// a class is handed back to the model, an image is accepted, rejected or flagged.
import type { ReviewStatus, Store } from '../store/index.ts'

export interface MaskEditInput {
  readonly imageId: number
  readonly classId: number
  readonly runId: number
  /** The class's mask as the screen showed it before the edit, and after (RLE at image size). */
  readonly beforeRle: string
  readonly afterRle: string
  /** brush, eraser, fill, clear, accept-model… */
  readonly tool: string
  readonly author: string
}

/** Records one undoable step (a whole stroke); returns the new revision number. */
export function saveMaskEdit(store: Store, input: MaskEditInput): number {
  return store.edits.record({ ...input, origin: 'human' }).mask.revision
}

/** Hands a class back to the model: it follows the thresholds again. */
export function revertToModel(store: Store, input: Omit<MaskEditInput, 'afterRle' | 'tool'>): number {
  const modelRle = store.masks.fromRun(input.runId, input.imageId).find((m) => m.classId === input.classId)?.rle ?? ''
  return store.edits.record({ ...input, afterRle: modelRle, tool: 'revert-to-model', origin: 'model' }).mask.revision
}

export function setReview(store: Store, input: { imageId: number; status: ReviewStatus; author: string; note?: string }): void {
  store.reviews.record(input)
}
