// Review's queue as windows read in one statement: the next N images of a run in review order
// from a position, with each one's current review and whether a person edited it. The uncertainty
// order reads review_margins along its index; the margins are computed (by the caller's rule) for
// the predictions that arrived since the last window, or all again when the profile changed, in
// committed batches, so the work can be done a slice at a time ahead of the first window.
import type { Database, Statement } from 'better-sqlite3'
import type { ReviewQueueOrder } from '../../../src-shared/reviewTypes.ts'
import { parseJson } from '../json.ts'
import type { ClassStat, ReviewStatus } from '../records.ts'

export interface ReviewQueueRow {
  readonly imageId: number
  readonly relativePath: string
  readonly status: ReviewStatus
  readonly gatePassed: boolean
  readonly margin: number
  readonly hasHumanEdits: boolean
  /** The run's prediction of the image, and whether it holds probability maps to load. */
  readonly predictionId: number
  readonly hasProbMaps: boolean
}

export interface ReviewWindowQuery {
  readonly runId: number
  readonly sourceId: number
  readonly order: ReviewQueueOrder
  /** Where the window starts in the queue (with `afterImageId`, only where it sits). */
  readonly offset: number
  readonly limit: number
  /** The item just before the window: it continues from there along the order's index. */
  readonly afterImageId?: number | null
}

export type MarginRule = (gateProbability: number | null, classStats: readonly ClassStat[]) => number

export interface ReviewQueueRepo {
  /**
   * Brings the run's margins up to date under the profile named by `profileKey` (computed by
   * `margin`), or computes at most `maxRows` more of them (work in slices: each batch is committed
   * with how far it got); returns how many were computed.
   */
  refreshMargins(runId: number, profileKey: string, margin: MarginRule, maxRows?: number): number
  window(query: ReviewWindowQuery): { readonly total: number; readonly rows: ReviewQueueRow[] }
}

const BATCH = 5000

const ITEM = `i.id AS image_id, i.relative_path, p.gate_passed, m.margin, p.id AS prediction_id, p.prob_maps IS NOT NULL AS has_maps,
  coalesce((SELECT r.status FROM reviews r WHERE r.image_id = i.id ORDER BY r.id DESC LIMIT 1), 'unreviewed') AS status,
  EXISTS (SELECT 1 FROM edits e WHERE e.image_id = i.id) AS has_edits`

// Each order from this table only; `keyset` continues after @afterMargin/@afterPath/@afterId. The
// window is found on one index alone (the skipped rows join nothing); only its rows are joined.
const window = (keyset: boolean) => `LIMIT @limit${keyset ? '' : ' OFFSET @offset'}`
const ORDERS: Record<ReviewQueueOrder, (keyset: boolean) => string> = {
  uncertainty: (keyset) => `WITH page AS (
      SELECT image_id, margin FROM review_margins
      WHERE run_id = @runId ${keyset ? 'AND (margin, image_id) > (@afterMargin, @afterId)' : ''}
      ORDER BY margin, image_id ${window(keyset)})
    SELECT ${ITEM}
    FROM page CROSS JOIN images i ON i.id = page.image_id
      CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = page.image_id
      CROSS JOIN review_margins m ON m.run_id = @runId AND m.image_id = page.image_id
    ORDER BY page.margin, page.image_id`,
  name: (keyset) => `WITH page AS (
      SELECT i.id, i.relative_path FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
      WHERE i.source_id = @sourceId ${keyset ? 'AND i.relative_path > @afterPath' : ''}
      ORDER BY i.relative_path ${window(keyset)})
    SELECT ${ITEM}
    FROM page CROSS JOIN images i ON i.id = page.id
      CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
      LEFT JOIN review_margins m ON m.run_id = @runId AND m.image_id = i.id
    ORDER BY page.relative_path`,
  // Sorted whole: how far a review got is not indexed (the order is for short queues).
  unreviewedFirst: () => `SELECT * FROM (SELECT ${ITEM}
    FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
      LEFT JOIN review_margins m ON m.run_id = p.run_id AND m.image_id = i.id
    WHERE i.source_id = @sourceId)
    ORDER BY status <> 'unreviewed', relative_path ${window(false)}`,
}

interface Row {
  image_id: number
  relative_path: string
  gate_passed: 0 | 1
  margin: number | null
  status: ReviewStatus
  has_edits: 0 | 1
  prediction_id: number
  has_maps: 0 | 1
}

interface PendingRow {
  id: number
  image_id: number
  gate_probability: number | null
  class_stats_json: string
}

export function createReviewQueueRepo(db: Database): ReviewQueueRepo {
  const marker = db.prepare<[number], { profile_json: string; through_prediction_id: number }>(
    'SELECT profile_json, through_prediction_id FROM review_margin_profiles WHERE run_id = ?',
  )
  // `+run_id`: walk the rowids after the mark rather than the run's index. A run's predictions are
  // written together, so from the run's first one this reads few rows of other runs.
  const pending = db.prepare<[number, number, number], PendingRow>(
    'SELECT id, image_id, gate_probability, class_stats_json FROM predictions WHERE id > ? AND +run_id = ? ORDER BY id LIMIT ?',
  )
  const firstOfRun = db.prepare<[number], number | null>('SELECT min(id) FROM predictions WHERE run_id = ?').pluck()
  const upsert = db.prepare<[number, number, number]>(
    'INSERT INTO review_margins (run_id, image_id, margin) VALUES (?, ?, ?) ON CONFLICT (run_id, image_id) DO UPDATE SET margin = excluded.margin',
  )
  const clear = db.prepare<[number]>('DELETE FROM review_margins WHERE run_id = ?')
  const mark = db.prepare<[number, string, number]>(
    `INSERT INTO review_margin_profiles (run_id, profile_json, through_prediction_id) VALUES (?, ?, ?)
     ON CONFLICT (run_id) DO UPDATE SET profile_json = excluded.profile_json, through_prediction_id = excluded.through_prediction_id`,
  )
  const runSource = db.prepare<[number], number | null>('SELECT source_id FROM runs WHERE id = ?').pluck()
  const count = db.prepare<[number], number>('SELECT count(*) FROM predictions WHERE run_id = ?').pluck()
  const cursor = db.prepare<[number, number], { relative_path: string; margin: number | null }>(
    `SELECT i.relative_path, m.margin FROM images i LEFT JOIN review_margins m ON m.run_id = ? AND m.image_id = i.id WHERE i.id = ?`,
  )
  const statements = new Map<string, Statement<[Record<string, unknown>], Row>>()
  const statement = (order: ReviewQueueOrder, keyset: boolean) => {
    const key = `${order}:${keyset}`
    let prepared = statements.get(key)
    if (!prepared) statements.set(key, (prepared = db.prepare(ORDERS[order](keyset))))
    return prepared
  }

  /** Starts the run's margins afresh under another profile: from the run's first prediction. */
  const restart = (runId: number, profileKey: string) => {
    clear.run(runId)
    const through = (firstOfRun.get(runId) ?? 1) - 1
    mark.run(runId, profileKey, through)
    return through
  }
  // One batch in one transaction, from the mark as it stands (a replaced prediction may have moved it back).
  const batch = db.transaction((runId: number, profileKey: string, margin: MarginRule, size: number): number => {
    const current = marker.get(runId)
    const through = current?.profile_json === profileKey ? current.through_prediction_id : restart(runId, profileKey)
    const rows = pending.all(through, runId, size)
    for (const row of rows) upsert.run(runId, row.image_id, margin(row.gate_probability, parseJson<ClassStat[]>(row.class_stats_json)))
    if (rows.length > 0) mark.run(runId, profileKey, rows[rows.length - 1].id)
    return rows.length
  })

  function refresh(runId: number, profileKey: string, margin: MarginRule, maxRows: number): number {
    let computed = 0
    while (computed < maxRows) {
      const rows = batch(runId, profileKey, margin, Math.min(BATCH, maxRows - computed))
      computed += rows
      if (rows === 0) break
    }
    return computed
  }

  return {
    refreshMargins: (runId, profileKey, margin, maxRows = Infinity) => refresh(runId, profileKey, margin, maxRows),
    window(query) {
      if (runSource.get(query.runId) !== query.sourceId) return { total: 0, rows: [] }
      const total = count.get(query.runId)!
      const after = query.afterImageId == null || query.order === 'unreviewedFirst' ? undefined : cursor.get(query.runId, query.afterImageId)
      const params = {
        runId: query.runId,
        sourceId: query.sourceId,
        limit: query.limit,
        ...(after ? { afterMargin: after.margin, afterPath: after.relative_path, afterId: query.afterImageId } : { offset: query.offset }),
      }
      const rows = statement(query.order, after !== undefined).all(pick(params, query.order, after !== undefined))
      return { total, rows: rows.map(toRow) }
    },
  }
}

/** better-sqlite3 refuses parameters a statement does not name. */
function pick(params: Record<string, unknown>, order: ReviewQueueOrder, keyset: boolean): Record<string, unknown> {
  const sql = ORDERS[order](keyset)
  return Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`@${name}`)))
}

function toRow(row: Row): ReviewQueueRow {
  return {
    imageId: row.image_id,
    relativePath: row.relative_path,
    status: row.status,
    gatePassed: row.gate_passed === 1,
    margin: row.margin ?? 1,
    hasHumanEdits: row.has_edits === 1,
    predictionId: row.prediction_id,
    hasProbMaps: row.has_maps === 1,
  }
}
