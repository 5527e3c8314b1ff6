// The reviews CSV: one row per selected image with its latest review (or 'unreviewed' and empty
// fields when it has none) and the classes whose mask is a person's (a class reverted to the model
// is not edited any more, whatever its audit trail holds).
import { stringify } from 'csv-stringify/sync'
import { standingEditedClasses } from '../review/standingEdits.ts'
import type { ExportImage } from './exportSelection.ts'
import type { Store } from '../store/index.ts'
import type { ExportSelection, StreamedSelection } from './exportSelection.ts'

export const REVIEW_COLUMNS = ['image', 'status', 'reviewer', 'reviewed_at', 'note', 'edited_classes'] as const

export function formatReviewsCsv(store: Store, selection: ExportSelection): string {
  return stringify(selection.images.map((entry) => reviewRow(store, entry)), { header: true, columns: [...REVIEW_COLUMNS], record_delimiter: 'unix' })
}

/** The same CSV in pieces of a few hundred images as they are read. */
export function* reviewsCsvPieces(store: Store, selection: StreamedSelection): Generator<string> {
  yield stringify([], { header: true, columns: [...REVIEW_COLUMNS], record_delimiter: 'unix' })
  let rows: string[][] = []
  for (const entry of selection.images(false)) {
    rows.push(reviewRow(store, entry))
    if (rows.length < 500) continue
    yield stringify(rows, { record_delimiter: 'unix' })
    rows = []
  }
  if (rows.length > 0) yield stringify(rows, { record_delimiter: 'unix' })
}

function reviewRow(store: Store, { image, review }: ExportImage): string[] {
  // A class reverted to the model is no longer edited, though its history stays in the audit trail.
  const edited = standingEditedClasses(store.edits.listForImage(image.id), store.masks.currentForImage(image.id))
  return [
    image.relativePath,
    review?.status ?? 'unreviewed',
    review?.author ?? '',
    review ? new Date(review.createdAtMs).toISOString() : '',
    review?.note ?? '',
    edited.join(' '),
  ]
}
