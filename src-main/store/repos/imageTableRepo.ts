// The Library's read side: one page of a source's images joined with one run's predictions,
// filtered and sorted along indexes so a page costs the same at a thousand images or a million:
// a page after a known row continues from it (keyset); a jump skips index entries only. Also the
// per-source status counts and the run a source was last inspected with, both kept as rows.
import type { Database, Statement } from 'better-sqlite3'
import type { ImageSortKey, ReviewFilter } from '../../../src-shared/apiTypes.ts'
import { classBits } from '../defectSummary.ts'
import { parseJson } from '../json.ts'
import type { ClassStat, ImageRecord, ImageStatus, ReviewStatus } from '../records.ts'
import {
  classMarksSql,
  CURSOR_SQL,
  ERROR_COUNT_SQL,
  type FilterShape,
  hasImageFilter,
  hasPredictionFilter,
  leapSql,
  PREDICTION_SORT,
  pageIdsSql,
  predictionCountSql,
  reviewCountSql,
  ROWS_SQL,
  type Segment,
  segmentsOf,
  valuesCountSql,
} from './imageTableSql.ts'
import { toImageRecord, type ImageRow } from './imagesRepo.ts'
import { libraryChangeStamp } from './libraryChanges.ts'
import { seekPoint, StampedCache, type OrderWalk } from './seekTable.ts'
import { SeekTables } from './seekTables.ts'

export interface ImageTableQuery {
  readonly sourceId: number
  /** The run whose predictions are joined; null joins none. */
  readonly runId: number | null
  /** Where the page starts in the whole list (with `afterImageId`, only where it sits). */
  readonly offset: number
  readonly limit: number
  readonly sort: { readonly key: ImageSortKey; readonly isDescending: boolean }
  /** The last row of the page before: the page starts right after it, whatever the offset. */
  readonly afterImageId?: number | null
  /** Any of these statuses; absent or empty = all. */
  readonly statuses?: readonly ImageStatus[]
  /** Images where any of these classes has a non-empty mask; absent or empty = no class filter. */
  readonly classIds?: readonly number[]
  /** Gate probability range, inclusive; an image without one is left out when either bound is set. */
  readonly gateMin?: number | null
  readonly gateMax?: number | null
  /** true: only images with an error; false: only images without. */
  readonly hasError?: boolean | null
  /** Only images in this review state. */
  readonly review?: ReviewFilter | null
}

export interface ImageTableRow {
  readonly image: ImageRecord
  readonly predictionId: number | null
  readonly gateProbability: number | null
  readonly gatePassed: boolean | null
  readonly classStats: readonly ClassStat[] | null
  /** Sum of the class areas at image size; null without a prediction. */
  readonly defectAreaPx: number | null
  readonly reviewStatus: ReviewStatus
  readonly isEdited: boolean
}

export interface SourceStatusCount {
  readonly sourceId: number
  readonly status: ImageStatus
  readonly count: number
}

export interface ImageTableRepo {
  page(query: ImageTableQuery): { readonly total: number; readonly rows: ImageTableRow[] }
  statusCounts(): SourceStatusCount[]
  /**
   * The run of the newest prediction of any image in the source. A run with the gate at 0 (what
   * Review's "force stage 2" records, one image at a time) is the latest only if there is no other.
   */
  latestRunId(sourceId: number): number | undefined
  /** The query plans (EXPLAIN QUERY PLAN, one text per statement) of the statements a page runs. */
  explainPage(query: ImageTableQuery): string[]
  /** Resolves when the seek tables being built ahead between calls are made. */
  builtAhead(): Promise<void>
  /** The statements a page runs, in order: their SQL and the values bound to them. */
  tracePage(query: ImageTableQuery): { sql: string; values: Record<string, string | number | null> }[]
}

interface Row extends ImageRow {
  prediction_id: number | null
  gate_probability: number | null
  gate_passed: 0 | 1 | null
  class_stats_json: string | null
  review_status: ReviewStatus
  edited_class_mask: number
}

interface CursorRow {
  path: string
  status_rank: number
  gate_probability: number | null
  defect_area_px: number | null
}

type Params = Record<string, string | number | null>

/** One order of one source's images: the sort, the filters and what is known of its size. */
interface Order {
  readonly key: ImageSortKey
  readonly isDescending: boolean
  /** The prediction column sorted on; null for the sorts on the image. */
  readonly column: string | null
  readonly shape: FilterShape
  readonly params: Params
  readonly segments: readonly Segment[]
  readonly totalRows: number
  /** What the order's cached answers are kept under, and the library's stamp now. */
  readonly orderKey: string
  readonly stamp: string
}

export interface ImageTableOptions {
  /** Rows between the positions a seek table remembers (a jump skips fewer than this). */
  readonly seekStride?: number
  /** A seek table made before the last write serves jumps while younger than this many times its cost (0: exact jumps, rebuilt after every write). */
  readonly seekStaleFactor?: number
  /**
   * Up to this many images in a review state (other than unreviewed) are read along the state's
   * index and sorted under the status, gate and area orders; more walk the order's index.
   */
  readonly reviewStateSortLimit?: number
  /** Milliseconds of each slice of a seek table built ahead between the host's calls (0: built at the first deep jump only). */
  readonly buildSliceMs?: number
}

export function createImageTableRepo(db: Database, { seekStride = 256, seekStaleFactor = 10, reviewStateSortLimit = 20_000, buildSliceMs = 4 }: ImageTableOptions = {}): ImageTableRepo {
  // better-sqlite3 refuses parameters a statement does not name: each gets only its own.
  const statements = new Map<string, { statement: Statement; names: string[] }>()
  let traced: { sql: string; values: Params }[] | null = null
  const bound = (sql: string, params: Params) => {
    let entry = statements.get(sql)
    if (!entry) statements.set(sql, (entry = { statement: db.prepare(sql).pluck(), names: [...new Set(sql.match(/(?<=@)\w+/g))] }))
    const values: Params = Object.fromEntries(entry.names.map((name) => [name, params[name] ?? null]))
    traced?.push({ sql, values })
    return { statement: entry.statement, values }
  }
  const ids = (sql: string, params: Params) => {
    const { statement, values } = bound(sql, params)
    return statement.all(values) as number[]
  }
  const marksOf = (sql: string, params: Params) => {
    const { statement, values } = bound(sql, params)
    return statement.raw(false).pluck(false).all(values) as { id: number; n: number; size: number }[]
  }
  const count = (sql: string, params: Params) => {
    const { statement, values } = bound(sql, params)
    return statement.get(values) as number
  }
  const counts = db.prepare<[], { source_id: number; status: ImageStatus; count: number }>(
    'SELECT source_id, status, count FROM source_status_counts WHERE count > 0 ORDER BY source_id, status',
  )
  const statusTotal = db.prepare<[{ sourceId: number; statuses: string | null }], number>(
    `SELECT coalesce(sum(count), 0) FROM source_status_counts
     WHERE source_id = @sourceId AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))`,
  ).pluck()
  const latestRun = db.prepare<[number], number>('SELECT run_id FROM source_latest_runs WHERE source_id = ?').pluck()
  const runCounts = db.prepare<[number], { predictions: number; with_gate: number }>(
    'SELECT predictions, with_gate FROM run_prediction_counts WHERE run_id = ?',
  )
  const cursorRow = db.prepare<[Params], CursorRow>(CURSOR_SQL)
  const rowsById = db.prepare<[Params], Row>(ROWS_SQL)
  const changeStamp = libraryChangeStamp(db)
  const seekTables = new SeekTables({ stride: seekStride, staleFactor: seekStaleFactor, sliceMs: buildSliceMs, isOpen: () => db.open })
  const filteredTotals = new StampedCache<number>()
  const valueCounts = new StampedCache<number>()
  const sortedLists = new StampedCache<number[]>(4)

  /** Matching images: from the kept counts unless a filter needs the rows (then counted once per change of the database). */
  function total(shape: FilterShape, params: Params, orderKey: string, stamp: string): number {
    if (hasPredictionFilter(shape)) {
      if (params.runId === null) return 0
      const known = seekTables.exact(orderKey, stamp)?.total ?? filteredTotals.get(orderKey, stamp)
      if (known !== undefined) return known
      const counted = count(predictionCountSql(shape), params)
      filteredTotals.set(orderKey, stamp, counted)
      return counted
    }
    if (shape.review !== null) {
      const inState = countOnce(`review|${orderKey}`, stamp, reviewCountSql({ ...shape, review: shape.review }), params)
      return shape.review === 'unreviewed' ? total({ ...shape, review: null }, params, orderKey, stamp) - inState : inState
    }
    const all = statusTotal.get({ sourceId: params.sourceId as number, statuses: params.statuses as string | null })!
    if (shape.hasError === null) return all
    const withError = countOnce(`errors|${orderKey}`, stamp, ERROR_COUNT_SQL, params)
    return shape.hasError ? withError : all - withError
  }

  /** A count of matching rows, made once per change of the library. */
  function countOnce(key: string, stamp: string, sql: string, params: Params): number {
    const known = filteredTotals.get(key, stamp)
    if (known !== undefined) return known
    const counted = count(sql, params)
    filteredTotals.set(key, stamp, counted)
    return counted
  }

  function pageIds(order: Order, query: ImageTableQuery): number[] {
    const { totalRows } = order
    const take = Math.min(query.limit, totalRows - query.offset)
    if (take <= 0) return []
    if (order.shape.sortsReviewState) return sortedWhole(order).slice(query.offset, query.offset + take)
    if (query.afterImageId != null) {
      const found = after(order, query.afterImageId, take)
      if (found) return found
    }
    // Near either end, skipping from that end costs less than a stride.
    if (query.offset < seekStride || totalRows - query.offset - take < seekStride) return jump(order, query.offset, take)
    // Deep in the list: continue after the nearest remembered row instead of skipping up to the offset.
    const point = seekPoint(seekTables.marksFor(order.orderKey, order.stamp, query.offset, () => walkOf(order)), query.offset)
    if (point.afterId === null) return jump(order, query.offset, take)
    return after(order, point.afterId, point.skip + take)?.slice(point.skip) ?? jump(order, query.offset, take)
  }

  const segmentSql = (order: Order, segment: Segment, keyset: boolean, reverse = false) =>
    pageIdsSql(order.key, order.isDescending, segment, order.shape, keyset, reverse)

  /**
   * The images of a review state under a sort that cannot follow an index (at most
   * reviewStateSortLimit of them): sorted once per change of the library, every page then a slice.
   */
  function sortedWhole(order: Order): number[] {
    const kept = sortedLists.get(order.orderKey, order.stamp)
    if (kept) return kept
    const all = jump(order, 0, order.totalRows)
    sortedLists.set(order.orderKey, order.stamp, all)
    return all
  }

  /** The sort values of image `afterId` to continue after it; undefined when it is not in the source. */
  function keysetAfter(order: Order, afterId: number): { keyset: Params; segment: number } | undefined {
    const cursor = cursorRow.get({ sourceId: order.params.sourceId, runId: order.params.runId, afterId })
    if (!cursor) return undefined
    const { column, segments } = order
    const value = column === null ? cursor.status_rank : (cursor[column as keyof CursorRow] as number | null)
    const segment = column !== null && value === null ? segments.indexOf('nulls') : 0
    return { keyset: { ...order.params, afterValue: value, afterPath: cursor.path, afterId, offset: 0 }, segment }
  }

  /** The `take` rows right after image `afterId` in this order; undefined when that image is not in the source. */
  function after(order: Order, afterId: number, take: number): number[] | undefined {
    const cursor = keysetAfter(order, afterId)
    if (!cursor) return undefined
    const { keyset, segment: first } = cursor
    const { key, isDescending, shape, segments } = order
    const found = ids(segmentSql(order, segments[first], true), { ...keyset, limit: take })
    if (found.length < take && key === 'status') found.push(...ids(pageIdsSql(key, isDescending, 'nulls', shape, true, false, true), { ...keyset, limit: take - found.length }))
    // The rest of the page from the start of the next segment: exactly as many rows as are left.
    if (found.length < take && first + 1 < segments.length) found.push(...ids(segmentSql(order, segments[first + 1], false), { ...order.params, limit: take - found.length, offset: 0 }))
    return found
  }

  /** The size of each segment of the order: the 'values' one kept per run, or counted once per change of the library under a filter. */
  function segmentSizes(order: Order): number[] {
    const { column, shape, params, totalRows, segments } = order
    if (segments.length === 1) return [totalRows]
    let values: number
    // Every prediction has an area: under a prediction filter, every match has one.
    if (column === 'defect_area_px' && hasPredictionFilter(shape)) values = totalRows
    else if (!hasPredictionFilter(shape) && !hasImageFilter(shape)) {
      const kept = runCounts.get(params.runId as number)
      values = column === 'gate_probability' ? (kept?.with_gate ?? 0) : (kept?.predictions ?? 0)
    } else {
      const known = valueCounts.get(order.orderKey, order.stamp)
      values = known ?? count(valuesCountSql(column!, shape), params)
      if (known === undefined) valueCounts.set(order.orderKey, order.stamp, values)
    }
    return [values, totalRows - values]
  }

  /** A page found by position: from the start, or from the end when it lies past the middle. */
  function jump(order: Order, offset: number, take: number): number[] {
    const { segments, totalRows, params } = order
    let sizes: number[] | null = null
    const sizeOf = (k: number) => (sizes ??= segmentSizes(order))[k]
    const reverse = offset + take / 2 > totalRows / 2
    let skip = reverse ? totalRows - offset - take : offset
    const sequence = reverse ? [...segments.keys()].reverse() : [...segments.keys()]
    const found: number[] = []
    for (const [n, k] of sequence.entries()) {
      if (found.length === take) break
      // Forward, the first segment needs no size: its rows end where its index range ends.
      const size = reverse || n > 0 ? sizeOf(k) : Infinity
      if (skip >= size) {
        skip -= size
        continue
      }
      const rows = ids(segmentSql(order, segments[k], false, reverse), { ...params, limit: Math.min(take - found.length, size - skip), offset: skip })
      if (rows.length === 0 && !reverse && n === 0) {
        skip -= sizeOf(k)
        continue
      }
      found.push(...rows)
      skip = 0
    }
    return reverse ? found.reverse() : found
  }

  /** How a seek table's build walks this order inside SQLite, a chunk of ids per statement. */
  function walkOf(order: Order): OrderWalk {
    const { key, isDescending, shape, segments, params } = order
    return {
      nonEmpty: () => segmentSizes(order).map((size) => size > 0),
      chunk(segment, afterId, limit) {
        if (afterId === null) return ids(segmentSql(order, segments[segment], false), { ...params, limit, offset: 0 })
        const cursor = keysetAfter(order, afterId)
        if (!cursor) return []
        const found = ids(segmentSql(order, segments[segment], true), { ...cursor.keyset, limit })
        // The status order continues in the ranks after the cursor's.
        if (found.length < limit && key === 'status') found.push(...ids(pageIdsSql(key, isDescending, 'nulls', shape, true, false, true), { ...cursor.keyset, limit: limit - found.length }))
        return found
      },
      leap(segment, afterId, skip, stride, count) {
        const sql = leapSql(key, isDescending, segments[segment], shape, afterId === null)
        if (!sql) return undefined
        if (afterId === null) return ids(sql, { ...params, skip, stride, count })
        const cursor = keysetAfter(order, afterId)
        return cursor ? ids(sql, { ...cursor.keyset, skip, stride, count }) : []
      },
      // Under a class filter, rows in image order are the few defective predictions, put in order at once.
      marksAt(segment, firstPosition, stride) {
        if (!shape.classes || segments[segment] !== 'nulls') return undefined
        const rows = marksOf(classMarksSql(key, isDescending, shape), { ...params, firstPosition, stride })
        const size = rows.at(-1)?.size ?? 0
        return { marks: rows.filter((row) => (firstPosition + row.n) % stride === 0).map((row) => row.id), rows: size }
      },
    }
  }

  const repo: ImageTableRepo = {
    page(query) {
      const shape: FilterShape = {
        statuses: (query.statuses?.length ?? 0) > 0,
        classes: (query.classIds?.length ?? 0) > 0,
        gateMin: query.gateMin != null,
        gateMax: query.gateMax != null,
        hasError: query.hasError ?? null,
        review: query.review ?? null,
      }
      const params: Params = {
        sourceId: query.sourceId,
        runId: query.runId,
        statuses: shape.statuses ? JSON.stringify(query.statuses) : null,
        classBits: shape.classes ? classBits(query.classIds!) : null,
        gateMin: query.gateMin ?? null,
        gateMax: query.gateMax ?? null,
        review: query.review ?? null,
        limit: query.limit,
      }
      const orderKey = JSON.stringify([{ ...params, limit: null }, query.sort.key, query.sort.isDescending, query.hasError ?? null])
      const stamp = changeStamp(shape.review !== null)
      const totalRows = total(shape, params, orderKey, stamp)
      const { key, isDescending } = query.sort
      const sortsReviewState = shape.review !== null && shape.review !== 'unreviewed' && key !== 'name' && totalRows <= reviewStateSortLimit
      const orderShape = { ...shape, sortsReviewState }
      const order: Order = { key, isDescending, column: PREDICTION_SORT[key], shape: orderShape, params, segments: segmentsOf(key, shape, params.runId !== null), totalRows, orderKey, stamp }
      const pageIdList = query.limit > 0 ? pageIds(order, query) : []
      if (query.limit > 0 && traced === null && !sortsReviewState) seekTables.buildAhead(orderKey, stamp, totalRows, () => walkOf(order))
      const byId = new Map(rowsById.all({ runId: query.runId, ids: JSON.stringify(pageIdList) }).map((row) => [row.id, row]))
      return { total: totalRows, rows: pageIdList.map((id) => toRow(byId.get(id)!)) }
    },
    statusCounts: () => counts.all().map((r) => ({ sourceId: r.source_id, status: r.status, count: r.count })),
    latestRunId: (sourceId) => latestRun.get(sourceId),
    explainPage: (query) =>
      traceStatements(query).map(({ sql, values }) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(values) as { detail: string }[]).map((row) => row.detail).join('; '),
      ),
    builtAhead: () => seekTables.builtAhead(),
    tracePage: (query) => traceStatements(query),
  }

  function traceStatements(query: ImageTableQuery) {
    traced = []
    try {
      repo.page(query)
      return traced
    } finally {
      traced = null
    }
  }
  return repo
}

function toRow(row: Row): ImageTableRow {
  const classStats = row.class_stats_json === null ? null : parseJson<ClassStat[]>(row.class_stats_json)
  return {
    image: toImageRecord(row),
    predictionId: row.prediction_id,
    gateProbability: row.gate_probability,
    gatePassed: row.gate_passed === null ? null : row.gate_passed === 1,
    classStats,
    defectAreaPx: classStats && classStats.reduce((sum, stat) => sum + stat.areaImagePx, 0),
    reviewStatus: row.review_status,
    isEdited: row.edited_class_mask !== 0,
  }
}
