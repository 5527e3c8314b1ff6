// Review decisions as an append-only log: every sign-off is a new row, the latest is current, and
// an image with no row is unreviewed. The schema refuses UPDATE and DELETE on reviews.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import type { ReviewRecord, ReviewStatus } from '../records.ts'

export interface ReviewInput {
  readonly imageId: number
  readonly status: ReviewStatus
  readonly author: string
  readonly note?: string
}

export interface ReviewsRepo {
  record(input: ReviewInput): ReviewRecord
  /** The image's latest review; undefined means it was never reviewed. */
  current(imageId: number): ReviewRecord | undefined
  history(imageId: number): ReviewRecord[]
  /** The latest review of each of these images that has one (one statement for a page of images). */
  currentForImages(imageIds: readonly number[]): Map<number, ReviewRecord>
}

interface ReviewRow {
  id: number
  image_id: number
  status: ReviewStatus
  author: string
  note: string
  created_at_ms: number
}

export function createReviewsRepo(db: Database, now: Clock): ReviewsRepo {
  const insert = db.prepare<[number, ReviewStatus, string, string, number], ReviewRow>(
    'INSERT INTO reviews (image_id, status, author, note, created_at_ms) VALUES (?, ?, ?, ?, ?) RETURNING *',
  )
  // Highest id, not time: two reviews in the same millisecond still have an order.
  const current = db.prepare<[number], ReviewRow>('SELECT * FROM reviews WHERE image_id = ? ORDER BY id DESC LIMIT 1')
  const history = db.prepare<[number], ReviewRow>('SELECT * FROM reviews WHERE image_id = ? ORDER BY id')
  const currentOfMany = db.prepare<[string], ReviewRow>(
    `SELECT r.* FROM json_each(?) j CROSS JOIN reviews r ON r.id = (SELECT max(id) FROM reviews WHERE image_id = j.value)`,
  )

  return {
    record: (input) => toRecord(insert.get(input.imageId, input.status, input.author, input.note ?? '', now())!),
    current: (imageId) => {
      const row = current.get(imageId)
      return row && toRecord(row)
    },
    history: (imageId) => history.all(imageId).map(toRecord),
    currentForImages: (imageIds) => new Map(currentOfMany.all(JSON.stringify(imageIds)).map((row) => [row.image_id, toRecord(row)])),
  }
}

function toRecord(row: ReviewRow): ReviewRecord {
  return { id: row.id, imageId: row.image_id, status: row.status, author: row.author, note: row.note, createdAtMs: row.created_at_ms }
}
