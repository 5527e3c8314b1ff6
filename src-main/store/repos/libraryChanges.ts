// What the Library's cached answers (seek tables, filtered totals) depend on: the images and the
// predictions. A stamp that changes exactly when they may have: any commit by another connection
// (`data_version`), or a row of either table written by this one — counted by temporary triggers,
// which fire for this connection's writes only and need no change to the schema. Other writes
// (Review's margins, reviews, job heartbeats) leave the stamp as it is.
import type { Database } from 'better-sqlite3'

const counters = new WeakMap<Database, { writes: number }>()

/** A function that returns the current stamp of `db`'s images and predictions. */
export function libraryChangeStamp(db: Database): () => string {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const counter = ownWrites(db)
  return () => `${dataVersion.get()}:${counter.writes}`
}

function ownWrites(db: Database): { writes: number } {
  let counter = counters.get(db)
  if (counter) return counter
  counter = { writes: 0 }
  counters.set(db, counter)
  const counted = counter
  db.function('coilscope_library_write', { deterministic: false, varargs: false }, () => {
    counted.writes++
    return null
  })
  for (const table of ['images', 'predictions']) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS coilscope_${table}_${event.toLowerCase()}_counted AFTER ${event} ON main.${table}
        BEGIN SELECT coilscope_library_write(); END`)
    }
  }
  return counter
}
