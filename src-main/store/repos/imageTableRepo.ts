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
  CURSOR_SQL,
  ERROR_COUNT_SQL,
  type FilterShape,
  hasImageFilter,
  hasPredictionFilter,
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
import { buildSeekTable, isWorthKeeping, seekPoint, StampedCache, type SeekTable } from './seekTable.ts'

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
  /** The SQL texts of the statements a page runs, in order. */
  tracePage(query: ImageTableQuery): string[]
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

export interface ImageTableOptions {
  /** Rows between the positions a seek table remembers (a jump skips fewer than this). */
  readonly seekStride?: number
  /** A seek table made before the last write serves jumps while younger than this many times its cost (0: exact jumps, rebuilt after every write). */
  readonly seekStaleFactor?: number
}

export function createImageTableRepo(db: Database, { seekStride = 256, seekStaleFactor = 10 }: ImageTableOptions = {}): ImageTableRepo {
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
  const seekTables = new StampedCache<SeekTable>()
  const filteredTotals = new StampedCache<number>()
  const valueCounts = new StampedCache<number>()

  /** Matching images: from the kept counts unless a filter needs the rows (then counted once per change of the database). */
  function total(shape: FilterShape, params: Params, orderKey: string, stamp: string): number {
    if (hasPredictionFilter(shape)) {
      if (params.runId === null) return 0
      const known = seekTables.get(orderKey, stamp)?.total ?? filteredTotals.get(orderKey, stamp)
      if (known !== undefined) return known
      const counted = count(predictionCountSql(shape), params)
      filteredTotals.set(orderKey, stamp, counted)
      return counted
    }
    if (shape.review !== null) {
      const inState = count(reviewCountSql({ ...shape, review: shape.review }), params)
      return shape.review === 'unreviewed' ? total({ ...shape, review: null }, params, orderKey, stamp) - inState : inState
    }
    const all = statusTotal.get({ sourceId: params.sourceId as number, statuses: params.statuses as string | null })!
    if (shape.hasError === null) return all
    const withError = count(ERROR_COUNT_SQL, params)
    return shape.hasError ? withError : all - withError
  }

  function pageIds(query: ImageTableQuery, shape: FilterShape, params: Params, totalRows: number, orderKey: string, stamp: string): number[] {
    const { key, isDescending } = query.sort
    const column = PREDICTION_SORT[key]
    const segments = segmentsOf(key, shape, params.runId !== null)
    const take = Math.min(query.limit, totalRows - query.offset)
    if (take <= 0) return []
    const segmentSql = (segment: Segment, keyset: boolean, reverse = false) => pageIdsSql(key, isDescending, segment, shape, keyset, reverse)
    if (query.afterImageId != null) {
      const found = after(query.afterImageId, take)
      if (found) return found
    }
    // Near either end, skipping from that end costs less than a stride.
    if (query.offset < seekStride || totalRows - query.offset - take < seekStride) return jump(take)
    // Deep in the list: continue after the nearest remembered row instead of skipping up to the offset.
    let table = seekTables.get(orderKey, stamp)
    const stale = table ? undefined : seekTables.getAny(orderKey)
    if (stale && isWorthKeeping(stale, seekStaleFactor)) table = stale
    if (!table) {
      const walk = () => segments.flatMap((segment) => ids(segmentSql(segment, false), { ...params, limit: -1, offset: 0 }))
      seekTables.set(orderKey, stamp, (table = buildSeekTable(walk, seekStride)))
    }
    const point = seekPoint(table, query.offset)
    if (point.afterId === null) return jump(take)
    return after(point.afterId, point.skip + take)?.slice(point.skip) ?? jump(take)

    /** The `take` rows right after image `afterId` in this order; undefined when that image is not in the source. */
    function after(afterId: number, take: number): number[] | undefined {
      const cursor = cursorRow.get({ sourceId: query.sourceId, runId: params.runId, afterId })
      if (!cursor) return undefined
      const value = column === null ? cursor.status_rank : (cursor[column as keyof CursorRow] as number | null)
      const first = column !== null && value === null ? segments.indexOf('nulls') : 0
      const keyset = { ...params, afterValue: value, afterPath: cursor.path, afterId }
      const found = ids(segmentSql(segments[first], true), { ...keyset, limit: take })
      if (found.length < take && key === 'status') found.push(...ids(pageIdsSql(key, isDescending, 'nulls', shape, true, false, true), { ...keyset, limit: take - found.length }))
      // The rest of the page from the start of the next segment: exactly as many rows as are left.
      if (found.length < take && first + 1 < segments.length) found.push(...ids(segmentSql(segments[first + 1], false), { ...params, limit: take - found.length, offset: 0 }))
      return found
    }

    /** The size of the 'values' segment: kept per run, or counted once per change of the library under a filter. */
    function valuesCount(): number {
      // Every prediction has an area: under a prediction filter, every match has one.
      if (column === 'defect_area_px' && hasPredictionFilter(shape)) return totalRows
      if (!hasPredictionFilter(shape) && !hasImageFilter(shape)) {
        const kept = runCounts.get(params.runId as number)
        return column === 'gate_probability' ? (kept?.with_gate ?? 0) : (kept?.predictions ?? 0)
      }
      const known = valueCounts.get(orderKey, stamp)
      if (known !== undefined) return known
      const counted = count(valuesCountSql(column!, shape), params)
      valueCounts.set(orderKey, stamp, counted)
      return counted
    }

    /** A page found by position: from the start, or from the end when it lies past the middle. */
    function jump(take: number): number[] {
      let sizes: number[] | null = segments.length === 1 ? [totalRows] : null
      const sizeOf = (k: number) => {
        if (!sizes) {
          const values = valuesCount()
          sizes = [values, totalRows - values]
        }
        return sizes[k]
      }
      const reverse = query.offset + take / 2 > totalRows / 2
      let skip = reverse ? totalRows - query.offset - take : query.offset
      const order = reverse ? [...segments.keys()].reverse() : [...segments.keys()]
      const found: number[] = []
      for (const [n, k] of order.entries()) {
        if (found.length === take) break
        // Forward, the first segment needs no size: its rows end where its index range ends.
        const size = reverse || n > 0 ? sizeOf(k) : Infinity
        if (skip >= size) {
          skip -= size
          continue
        }
        const rows = ids(segmentSql(segments[k], false, reverse), { ...params, limit: Math.min(take - found.length, size - skip), offset: skip })
        if (rows.length === 0 && !reverse && n === 0) {
          skip -= sizeOf(k)
          continue
        }
        found.push(...rows)
        skip = 0
      }
      return reverse ? found.reverse() : found
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
      const pageIdList = query.limit > 0 ? pageIds(query, shape, params, totalRows, orderKey, stamp) : []
      const byId = new Map(rowsById.all({ runId: query.runId, ids: JSON.stringify(pageIdList) }).map((row) => [row.id, row]))
      return { total: totalRows, rows: pageIdList.map((id) => toRow(byId.get(id)!)) }
    },
    statusCounts: () => counts.all().map((r) => ({ sourceId: r.source_id, status: r.status, count: r.count })),
    latestRunId: (sourceId) => latestRun.get(sourceId),
    explainPage: (query) =>
      traceStatements(query).map(({ sql, values }) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(values) as { detail: string }[]).map((row) => row.detail).join('; '),
      ),
    tracePage: (query) => traceStatements(query).map(({ sql }) => sql),
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
