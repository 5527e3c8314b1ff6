// The reviews CSV: one row per selected image with its latest review (or 'unreviewed' and empty
// fields when it has none) and the classes whose mask is a person's (a class reverted to the model
// is not edited any more, whatever its audit trail holds).
import { stringify } from 'csv-stringify/sync'
import { standingEditedClasses } from '../review/standingEdits.ts'
import type { Store } from '../store/index.ts'
import type { ExportSelection } from './exportSelection.ts'

export const REVIEW_COLUMNS = ['image', 'status', 'reviewer', 'reviewed_at', 'note', 'edited_classes'] as const

export function formatReviewsCsv(store: Store, selection: ExportSelection): string {
  const rows = selection.images.map(({ image, review }) => {
    const edited = standingEditedClasses(store.edits.listForImage(image.id), store.masks.currentForImage(image.id))
    return [
      image.relativePath,
      review?.status ?? 'unreviewed',
      review?.author ?? '',
      review ? new Date(review.createdAtMs).toISOString() : '',
      review?.note ?? '',
      edited.join(' '),
    ]
  })
  return stringify(rows, { header: true, columns: [...REVIEW_COLUMNS], record_delimiter: 'unix' })
}
