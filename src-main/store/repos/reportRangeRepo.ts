// A run's images by when they were inspected, for a report over a time range: an image's time is
// the `created_at_ms` of the run's prediction its result comes from (its own, else that of an
// identical file of the source, as export selections resolve it). Everything is driven from the
// index predictions_by_time (run_id, created_at_ms), so a range of R images costs R rows, and the
// rest of the run is counted in SQL (grouped, never listed).
import type { Database } from 'better-sqlite3'
import type { ReviewStatus } from '../records.ts'

export interface InspectedSpan {
  /** Results the run stored (an identical file shares its twin's: the images listed may be a few more). */
  readonly results: number
  readonly firstMs: number | null
  readonly lastMs: number | null
}

/** Images served by the run's predictions in [fromMs, toMs), grouped by what the store keeps per row. */
export interface RangeCountRow {
  /** Bit (class_id - 1) set for each class the run's stored model masks found. */
  readonly classMask: number
  readonly reviewStatus: ReviewStatus
  /** Some class's current mask is a person's. */
  readonly isEdited: boolean
  readonly images: number
}

export interface RangeImageRef {
  readonly imageId: number
  /** The image whose prediction is the result (itself, or an identical file of the source). */
  readonly resultImageId: number
}

export interface ReportRangeRepo {
  span(runId: number): InspectedSpan
  /** The images of the range in file order (ids only: R small rows). */
  imagesInRange(runId: number, fromMs: number, toMs: number): RangeImageRef[]
  countsInRange(runId: number, fromMs: number, toMs: number): RangeCountRow[]
  /** Coils holding at least one image of the range, by id. */
  coilsInRange(runId: number, fromMs: number, toMs: number): number[]
}

// Each prediction of the range, the images whose result it is (the chosen result of an image is
// its own current prediction, else the lowest-id identical file's, as imagesRepo.pageWithResult).
const SERVED = `
  FROM predictions p
  JOIN images c ON c.id = p.image_id AND c.sha256 = p.image_sha256
  JOIN images i ON i.sha256 = c.sha256 AND i.source_id = c.source_id
  WHERE p.run_id = @run AND p.created_at_ms >= @from AND p.created_at_ms < @to
    AND c.id = (SELECT c2.id FROM images c2
                CROSS JOIN predictions p2 ON p2.run_id = @run AND p2.image_id = c2.id AND p2.image_sha256 = c2.sha256
                WHERE c2.sha256 = i.sha256 AND c2.source_id = i.source_id
                ORDER BY c2.id <> i.id, c2.id LIMIT 1)`

type Range = { run: number; from: number; to: number }

export function createReportRangeRepo(db: Database): ReportRangeRepo {
  const span = db.prepare<[number], { n: number; first_ms: number | null; last_ms: number | null }>(
    'SELECT count(*) AS n, min(created_at_ms) AS first_ms, max(created_at_ms) AS last_ms FROM predictions WHERE run_id = ?',
  )
  const refs = db.prepare<[Range], { image_id: number; result_id: number }>(
    `SELECT i.id AS image_id, c.id AS result_id ${SERVED} ORDER BY i.relative_path`,
  )
  const counts = db.prepare<[Range], { class_mask: number; review_status: ReviewStatus; is_edited: number; n: number }>(
    `SELECT p.class_mask, i.review_status, i.edited_class_mask <> 0 AS is_edited, count(*) AS n ${SERVED}
     GROUP BY p.class_mask, i.review_status, is_edited`,
  )
  const coils = db.prepare<[Range], number>(
    `SELECT DISTINCT ci.coil_id ${SERVED.replace('WHERE', 'JOIN coil_images ci ON ci.image_id = i.id WHERE')} ORDER BY ci.coil_id`,
  ).pluck()
  return {
    span: (runId) => {
      const row = span.get(runId)!
      return { results: row.n, firstMs: row.first_ms, lastMs: row.last_ms }
    },
    imagesInRange: (runId, from, to) => refs.all({ run: runId, from, to }).map((r) => ({ imageId: r.image_id, resultImageId: r.result_id })),
    countsInRange: (runId, from, to) =>
      counts.all({ run: runId, from, to }).map((r) => ({ classMask: r.class_mask, reviewStatus: r.review_status, isEdited: r.is_edited === 1, images: r.n })),
    coilsInRange: (runId, from, to) => coils.all({ run: runId, from, to }),
  }
}
