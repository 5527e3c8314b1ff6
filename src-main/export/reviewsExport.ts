// The reviews CSV: one row per selected image with its latest review (or 'unreviewed' and empty
// fields when it has none) and the classes a human has edited on it.
import { stringify } from 'csv-stringify/sync'
import type { Store } from '../store/index.ts'
import type { ExportSelection } from './exportSelection.ts'

export const REVIEW_COLUMNS = ['image', 'status', 'reviewer', 'reviewed_at', 'note', 'edited_classes'] as const

export function formatReviewsCsv(store: Store, selection: ExportSelection): string {
  const rows = selection.images.map(({ image, review }) => {
    const edited = [...new Set(store.edits.listForImage(image.id).map((e) => e.classId))].sort((a, b) => a - b)
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
