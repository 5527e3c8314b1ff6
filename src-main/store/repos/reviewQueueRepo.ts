// Review's queue as windows read in one statement: the next N images of a run in review order
// from a position, with each one's current review and whether a person edited it. The uncertainty
// order reads the run's served generation of review_margins along its index. Margins are computed
// in SQL (marginSql.ts) in short committed steps, each with its mark: for the predictions that
// arrived since, or into a new generation under a new profile, which replaces the served one in
// the transaction that completes it; a replaced generation's rows are then deleted step by step.
// A window's total is read from kept counts (reviewQueueTotals.ts), and a deep window continues
// after an image a seek table remembers, or skips from the nearer end (reviewQueueSeek.ts).
import type { Database, Statement } from 'better-sqlite3'
import type { ReviewQueueOrder } from '../../../src-shared/reviewTypes.ts'
import type { ReviewStatus } from '../records.ts'
import { MARGIN_SQL, marginParams } from './marginSql.ts'
import { createReviewQueueSeek, type ReviewQueueSeekOptions, type SeekableOrder, type WindowPlacement } from './reviewQueueSeek.ts'
import { createReviewQueueTotals } from './reviewQueueTotals.ts'

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

/** The part of a threshold profile the uncertainty rule reads. */
export interface MarginProfile {
  readonly gate: number | null
  readonly upper: readonly number[]
}

/** Where a run's uncertainty order stands under the profile in force. */
export interface MarginProgress {
  /**
   * The margins a window reads: those of the profile in force ('current', complete or being topped
   * up), an earlier profile's complete ones while the new ones are computed ('previous'), or none.
   */
  readonly served: 'current' | 'previous' | 'none'
  /** Whether every prediction of the run has its margin under the profile in force. */
  readonly isComplete: boolean
  /** How many of the run's predictions are still to measure under the profile in force (by id span: an estimate). */
  readonly pending: number
  /** Share of the run's predictions measured under the profile in force, 0…1. */
  readonly fraction: number
}

export interface ReviewQueueRepo {
  /**
   * One short step of work on the run's margins under `profile`, committed on its own: measures at
   * most `maxRows` predictions not yet measured (into the served generation when it has this
   * profile, else into a new one that replaces it once complete), or deletes as many rows of a
   * replaced generation. Returns how many rows it wrote or deleted: 0 when nothing is left to do.
   */
  prepareMargins(runId: number, profile: MarginProfile, maxRows: number): number
  /** Resolves when the seek tables being made ahead of deep jumps are made. */
  builtAhead(): Promise<void>
  progress(runId: number, profile: MarginProfile): MarginProgress
  /** The runs that have margins (or are having them computed). */
  runsWithMargins(): number[]
  /** A window of the queue, the uncertainty order read from the served generation of margins. */
  window(query: ReviewWindowQuery): { readonly total: number; readonly rows: ReviewQueueRow[] }
  /** Where image `imageId` sits in the queue's order; null when it has no place in it. */
  position(query: ReviewPositionQuery): number | null
  /**
   * The queue items of these images in the run, in the order given; an image without a result in
   * the run is left out.
   */
  items(runId: number, imageIds: readonly number[]): ReviewQueueRow[]
  /** Up to `limit` unreviewed images of the run, by name, that match (gated out and never edited, or any). */
  unreviewed(query: { readonly runId: number; readonly sourceId: number; readonly gatedOutOnly: boolean; readonly limit: number }): ReviewQueueRow[]
}

export interface ReviewPositionQuery {
  readonly runId: number
  readonly sourceId: number
  readonly order: ReviewQueueOrder
  readonly imageId: number
}

const ITEM = `i.id AS image_id, i.relative_path, p.gate_passed, m.margin, p.id AS prediction_id, p.prob_maps IS NOT NULL AS has_maps,
  coalesce((SELECT r.status FROM reviews r WHERE r.image_id = i.id ORDER BY r.id DESC LIMIT 1), 'unreviewed') AS status,
  EXISTS (SELECT 1 FROM edits e WHERE e.image_id = i.id) AS has_edits`

// Each order from this table only; `keyset` continues after @afterMargin/@afterPath/@afterId, and
// `reverse` skips @offset rows from the end. The window is found on one index alone (the skipped
// rows join nothing); only its rows are joined.
const window = 'LIMIT @limit OFFSET @offset'
const ORDERS: Record<ReviewQueueOrder, (keyset: boolean, reverse?: boolean) => string> = {
  uncertainty: (keyset, reverse) => `WITH page AS (
      SELECT image_id, margin FROM review_margins
      WHERE run_id = @runId AND generation = @generation ${keyset ? 'AND (margin, image_id) > (@afterMargin, @afterId)' : ''}
      ORDER BY ${reverse ? 'margin DESC, image_id DESC' : 'margin, image_id'} ${window})
    SELECT ${ITEM}
    FROM page CROSS JOIN images i ON i.id = page.image_id
      CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = page.image_id
      CROSS JOIN review_margins m ON m.run_id = @runId AND m.generation = @generation AND m.image_id = page.image_id
    ORDER BY page.margin, page.image_id`,
  name: (keyset, reverse) => `WITH page AS (
      SELECT i.id, i.relative_path FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
      WHERE i.source_id = @sourceId ${keyset ? 'AND i.relative_path > @afterPath' : ''}
      ORDER BY i.relative_path${reverse ? ' DESC' : ''} ${window})
    SELECT ${ITEM}
    FROM page CROSS JOIN images i ON i.id = page.id
      CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
      LEFT JOIN review_margins m ON m.run_id = @runId AND m.generation = @generation AND m.image_id = i.id
    ORDER BY page.relative_path`,
  // Sorted whole: how far a review got is not indexed (the order is for short queues).
  unreviewedFirst: () => `SELECT * FROM (SELECT ${ITEM}
    FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
      LEFT JOIN review_margins m ON m.run_id = p.run_id AND m.generation = @generation AND m.image_id = i.id
    WHERE i.source_id = @sourceId)
    ORDER BY status <> 'unreviewed', relative_path ${window}`,
}

// How many of the queue come before the cursor's image, along the order's index (unreviewedFirst: sorted whole).
const BEFORE: Record<ReviewQueueOrder, string> = {
  uncertainty: `SELECT count(*) FROM review_margins
    WHERE run_id = @runId AND generation = @generation AND (margin, image_id) < (@afterMargin, @afterId)`,
  name: `SELECT count(*) FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
    WHERE i.source_id = @sourceId AND i.relative_path < @afterPath`,
  unreviewedFirst: `SELECT count(*) FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
    WHERE i.source_id = @sourceId AND (i.review_status <> 'unreviewed', i.relative_path) < (@afterReviewed, @afterPath)`,
}

// How many rows lie from the row after a remembered image up to (not including) the cursor's image.
const BETWEEN: Record<SeekableOrder, string> = {
  uncertainty: `SELECT count(*) FROM review_margins WHERE run_id = @runId AND generation = @generation
    AND (margin, image_id) > (@fromMargin, @fromId) AND (margin, image_id) < (@afterMargin, @afterId)`,
  name: `SELECT count(*) FROM images i CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
    WHERE i.source_id = @sourceId AND i.relative_path > @fromPath AND i.relative_path < @afterPath`,
}

const ITEMS = `SELECT ${ITEM}
  FROM json_each(@ids) j CROSS JOIN images i ON i.id = j.value
    CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
    LEFT JOIN review_margins m ON m.run_id = @runId AND m.generation = @generation AND m.image_id = i.id
  ORDER BY j.key`

// Along the index of the images' review state: the unreviewed ones of the source by name.
const UNREVIEWED = `SELECT ${ITEM}
  FROM images i INDEXED BY images_by_review CROSS JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
    LEFT JOIN review_margins m ON m.run_id = @runId AND m.generation = @generation AND m.image_id = i.id
  WHERE i.source_id = @sourceId AND i.review_status = 'unreviewed'
    AND (@gatedOutOnly = 0 OR (p.gate_passed = 0 AND NOT EXISTS (SELECT 1 FROM edits e WHERE e.image_id = i.id)))
  ORDER BY i.relative_path LIMIT @limit`

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

interface MarginSet {
  generation: number
  profile_json: string
  through_prediction_id: number
  state: 'building' | 'served' | 'retired'
}

export function createReviewQueueRepo(db: Database, options: ReviewQueueSeekOptions = {}): ReviewQueueRepo {
  const sets = db.prepare<[number], MarginSet>('SELECT generation, profile_json, through_prediction_id, state FROM review_margin_sets WHERE run_id = ? ORDER BY generation')
  const span = db.prepare<[number, number], { first: number | null; last: number | null }>(
    'SELECT (SELECT min(id) FROM predictions WHERE run_id = ?) AS first, (SELECT max(id) FROM predictions WHERE run_id = ?) AS last',
  )
  const runSpan = { get: (runId: number) => span.get(runId, runId) }
  // The id of the `limit`-th prediction of the run after the mark: the batch ends there, and reads
  // that stretch of rowids (a run's predictions are written together: few rows of other runs).
  const batchEnd = db.prepare<[number, number, number], number | null>(
    'SELECT max(id) FROM (SELECT id FROM predictions WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?)',
  ).pluck()
  const measure = db.prepare(
    `INSERT INTO review_margins (run_id, generation, image_id, margin)
     SELECT @run, @generation, p.image_id, ${MARGIN_SQL} AS margin FROM predictions p
     WHERE p.id > @through AND p.id <= @upto AND +p.run_id = @run
     ORDER BY margin -- the margin index takes the batch in its order: each page touched once
     ON CONFLICT (run_id, generation, image_id) DO UPDATE SET margin = excluded.margin`,
  )
  const mark = db.prepare<[number, number, number]>('UPDATE review_margin_sets SET through_prediction_id = ? WHERE run_id = ? AND generation = ?')
  const newSet = db.prepare<[number, number, string, number]>(
    "INSERT INTO review_margin_sets (run_id, generation, profile_json, through_prediction_id, state) VALUES (?, ?, ?, ?, 'building')",
  )
  const setState = db.prepare<[string, number, number]>('UPDATE review_margin_sets SET state = ? WHERE run_id = ? AND generation = ?')
  const nextGeneration = db.prepare<[number], number>('SELECT coalesce(max(generation), 0) + 1 FROM review_margin_sets WHERE run_id = ?').pluck()
  const dropRows = db.prepare<[number, number, number, number, number]>(
    `DELETE FROM review_margins WHERE run_id = ? AND generation = ? AND image_id IN
       (SELECT image_id FROM review_margins WHERE run_id = ? AND generation = ? ORDER BY image_id LIMIT ?)`,
  )
  const dropSet = db.prepare<[number, number]>('DELETE FROM review_margin_sets WHERE run_id = ? AND generation = ?')
  const runSource = db.prepare<[number], number | null>('SELECT source_id FROM runs WHERE id = ?').pluck()
  const withMargins = db.prepare<[], number>('SELECT DISTINCT run_id FROM review_margin_sets ORDER BY run_id').pluck()
  const totalOf = createReviewQueueTotals(db)
  const seek = createReviewQueueSeek(db, options)
  const cursor = db.prepare<[number, number, number], { relative_path: string; margin: number | null; is_reviewed: 0 | 1; source_id: number }>(
    `SELECT i.relative_path, m.margin, i.review_status <> 'unreviewed' AS is_reviewed, i.source_id
     FROM images i LEFT JOIN review_margins m ON m.run_id = ? AND m.generation = ? AND m.image_id = i.id WHERE i.id = ?`,
  )
  const hasResult = db.prepare<[number, number], number>('SELECT 1 FROM predictions WHERE run_id = ? AND image_id = ?').pluck()
  const countBefore = Object.fromEntries(Object.entries(BEFORE).map(([order, sql]) => [order, db.prepare(sql).pluck()])) as Record<ReviewQueueOrder, Statement<[Record<string, unknown>], number>>
  const countBetween = { uncertainty: db.prepare(BETWEEN.uncertainty).pluck(), name: db.prepare(BETWEEN.name).pluck() } as Record<SeekableOrder, Statement<[Record<string, unknown>], number>>
  const itemsOf = db.prepare<[{ runId: number; generation: number; ids: string }], Row>(ITEMS)
  const unreviewedOf = db.prepare<[{ runId: number; sourceId: number; generation: number; gatedOutOnly: 0 | 1; limit: number }], Row>(UNREVIEWED)
  const servedSet = (runId: number) => sets.all(runId).find((s) => s.state === 'served')
  const statements = new Map<string, Statement<[Record<string, unknown>], Row>>()
  const statement = (order: ReviewQueueOrder, keyset: boolean, reverse = false) => {
    const key = `${order}:${keyset}:${reverse}`
    let prepared = statements.get(key)
    if (!prepared) statements.set(key, (prepared = db.prepare(ORDERS[order](keyset, reverse))))
    return prepared
  }

  /** Measures the predictions after the set's mark, at most `limit`, and moves the mark; returns how many. */
  const measureAfter = (runId: number, set: MarginSet, profile: MarginProfile, limit: number): number => {
    const upto = batchEnd.get(runId, set.through_prediction_id, limit)
    if (upto == null) return 0
    const written = measure.run({ run: runId, generation: set.generation, through: set.through_prediction_id, upto, ...marginParams(profile) }).changes
    mark.run(upto, runId, set.generation)
    return written
  }

  // One step in one transaction, IMMEDIATE: it writes, and a second connection may be writing too.
  const step = db.transaction((runId: number, profile: MarginProfile, limit: number): number => {
    const key = profileKey(profile)
    const all = sets.all(runId)
    const served = all.find((s) => s.state === 'served')
    const building = all.find((s) => s.state === 'building')
    if (served?.profile_json === key) {
      if (building) setState.run('retired', runId, building.generation) // the profile went back before it was done
      const written = measureAfter(runId, served, profile, limit)
      if (written > 0 || building) return Math.max(written, 1)
    } else {
      let target = building
      if (target?.profile_json !== key) {
        if (target) setState.run('retired', runId, target.generation)
        const generation = nextGeneration.get(runId)!
        const through = (runSpan.get(runId)?.first ?? 1) - 1
        newSet.run(runId, generation, key, through)
        target = { generation, profile_json: key, through_prediction_id: through, state: 'building' }
      }
      const written = measureAfter(runId, target, profile, limit)
      if (written > 0) return written
      // Complete: it replaces the served one in this transaction.
      if (served) setState.run('retired', runId, served.generation)
      setState.run('served', runId, target.generation)
      return 1
    }
    const retired = all.find((s) => s.state === 'retired')
    if (!retired) return 0
    const dropped = dropRows.run(runId, retired.generation, runId, retired.generation, limit).changes
    if (dropped < limit) dropSet.run(runId, retired.generation)
    return Math.max(dropped, 1)
  })

  function progress(runId: number, profile: MarginProfile): MarginProgress {
    const key = profileKey(profile)
    const all = sets.all(runId)
    const served = all.find((s) => s.state === 'served')
    const current = served?.profile_json === key ? served : all.find((s) => s.state === 'building' && s.profile_json === key)
    const { first, last } = runSpan.get(runId) ?? { first: null, last: null }
    const span = first === null || last === null ? 0 : last - first + 1
    const pending = span === 0 ? 0 : Math.max(0, last! - Math.max(current?.through_prediction_id ?? 0, first! - 1))
    return {
      served: served === undefined ? 'none' : served === current ? 'current' : 'previous',
      isComplete: served !== undefined && served === current && pending === 0,
      pending,
      fraction: span === 0 ? 1 : 1 - pending / span,
    }
  }

  return {
    // A read-only library keeps what it has: windows read them (or file order) as they are.
    prepareMargins: (runId, profile, maxRows) => (db.readonly ? 0 : step.immediate(runId, profile, maxRows)),
    builtAhead: () => seek.builtAhead(),
    progress,
    runsWithMargins: () => withMargins.all(),
    window(query) {
      if (runSource.get(query.runId) !== query.sourceId) return { total: 0, rows: [] }
      const served = servedSet(query.runId)
      const generation = served?.generation ?? 0
      const total = totalOf(query.runId, query.order, served)
      const { runId, sourceId } = query
      const ref = query.order === 'unreviewedFirst' ? undefined : { runId, sourceId, order: query.order, generation, through: served?.through_prediction_id ?? 0 }
      const take = Math.min(query.limit, total - query.offset)
      // After the image given, else after the image a seek table remembers before the offset, else by offset from the nearer end.
      const given = query.afterImageId == null || !ref ? undefined : cursor.get(runId, generation, query.afterImageId)
      let placement: WindowPlacement = given ? { from: 'after', afterId: query.afterImageId!, skip: 0 } : { from: 'start', skip: query.offset }
      if (!given && ref && take > 0) placement = seek.place(ref, total, query.offset, take)
      const after = placement.from !== 'after' ? undefined : (given ?? cursor.get(runId, generation, placement.afterId))
      if (placement.from === 'after' && !after) placement = { from: 'start', skip: query.offset }
      const params = {
        runId,
        sourceId,
        generation,
        limit: placement.from === 'end' ? take : query.limit,
        offset: placement.skip,
        ...(after && placement.from === 'after' ? { afterMargin: after.margin, afterPath: after.relative_path, afterId: placement.afterId } : {}),
      }
      const keyset = placement.from === 'after'
      const rows = statement(query.order, keyset, placement.from === 'end').all(pickNamed(ORDERS[query.order](keyset), params))
      if (ref && query.limit > 0) seek.buildAhead(ref, total)
      return { total, rows: rows.map(toRow) }
    },
    position({ runId, sourceId, order, imageId }) {
      if (runSource.get(runId) !== sourceId) return null
      const served = servedSet(runId)
      const generation = served?.generation ?? 0
      const at = cursor.get(runId, generation, imageId)
      if (!at || at.source_id !== sourceId || hasResult.get(runId, imageId) === undefined) return null
      if (order === 'uncertainty' && at.margin === null) return null
      const params = { runId, sourceId, generation, afterMargin: at.margin, afterId: imageId, afterPath: at.relative_path, afterReviewed: at.is_reviewed }
      // Counted from the nearest image a seek table remembers before it, else from the start.
      const ref = order === 'unreviewedFirst' ? undefined : { runId, sourceId, order, generation, through: served?.through_prediction_id ?? 0 }
      const mark = ref && seek.markBefore(ref, { margin: at.margin, path: at.relative_path, imageId })
      if (mark?.afterId != null) {
        const from = cursor.get(runId, generation, mark.afterId)!
        const between = { ...params, fromMargin: from.margin, fromId: mark.afterId, fromPath: from.relative_path }
        return mark.position + 1 + countBetween[order as SeekableOrder].get(pickNamed(BETWEEN[order as SeekableOrder], between))!
      }
      return countBefore[order].get(pickNamed(BEFORE[order], params))!
    },
    items(runId, imageIds) {
      if (imageIds.length === 0) return []
      return itemsOf.all({ runId, generation: servedSet(runId)?.generation ?? 0, ids: JSON.stringify(imageIds) }).map(toRow)
    },
    unreviewed: ({ runId, sourceId, gatedOutOnly, limit }) =>
      unreviewedOf.all({ runId, sourceId, generation: servedSet(runId)?.generation ?? 0, gatedOutOnly: gatedOutOnly ? 1 : 0, limit }).map(toRow),
  }
}

/** The profile a generation was computed under, as recorded with it. */
export function profileKey(profile: MarginProfile): string {
  return JSON.stringify({ gate: profile.gate, upper: profile.upper })
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

/** The parameters a statement names, of those given (better-sqlite3 refuses others). */
function pickNamed(sql: string, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`@${name}`)))
}
