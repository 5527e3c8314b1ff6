// What the Library's cached answers (seek tables, filtered totals) depend on: the images and the
// predictions, and — for a review filter only — the images' review state. A stamp that changes
// exactly when they may have: any commit by another connection (`data_version`), or a row written
// by this one — counted by temporary triggers, which fire for this connection's writes only and
// need no change to the schema. Other writes (Review's margins, job heartbeats) and, outside a
// review filter, reviews leave the stamp as it is.
import type { Database } from 'better-sqlite3'

/** The images' columns that reviews and mask edits keep (migration 006's triggers). */
const REVIEW_STATE_COLUMNS = ['review_status', 'edited_class_mask']

interface WriteCounts {
  library: number
  reviewState: number
}

const counters = new WeakMap<Database, WriteCounts>()

/** A function that returns the current stamp of `db`'s images and predictions (and their review state, when asked). */
export function libraryChangeStamp(db: Database): (withReviewState: boolean) => string {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const counts = ownWrites(db)
  return (withReviewState) => `${dataVersion.get()}:${counts.library}${withReviewState ? `:${counts.reviewState}` : ''}`
}

function ownWrites(db: Database): WriteCounts {
  const known = counters.get(db)
  if (known) return known
  const counts: WriteCounts = { library: 0, reviewState: 0 }
  counters.set(db, counts)
  db.function('coilscope_library_write', { deterministic: false, varargs: false }, () => {
    counts.library++
    return null
  })
  db.function('coilscope_review_state_write', { deterministic: false, varargs: false }, () => {
    counts.reviewState++
    return null
  })
  const columns = db.prepare<[], string>("SELECT name FROM pragma_table_info('images')").pluck().all()
  const reviewState = REVIEW_STATE_COLUMNS.filter((c) => columns.includes(c))
  const libraryChanged = columns.filter((c) => !reviewState.includes(c)).map((c) => `OLD."${c}" IS NOT NEW."${c}"`).join(' OR ')
  for (const table of ['images', 'predictions']) {
    for (const event of ['INSERT', 'DELETE']) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS coilscope_${table}_${event.toLowerCase()}_counted AFTER ${event} ON main.${table}
        BEGIN SELECT coilscope_library_write(); END`)
    }
  }
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS coilscope_predictions_update_counted AFTER UPDATE ON main.predictions
    BEGIN SELECT coilscope_library_write(); END`)
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS coilscope_images_update_counted AFTER UPDATE ON main.images WHEN ${libraryChanged}
    BEGIN SELECT coilscope_library_write(); END`)
  if (reviewState.length > 0) {
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS coilscope_images_review_state_counted AFTER UPDATE OF ${reviewState.join(', ')} ON main.images
      BEGIN SELECT coilscope_review_state_write(); END`)
  }
  return counts
}
