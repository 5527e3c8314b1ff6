// The Library's read side: one page of a source's images joined with one run's predictions,
// filtered and sorted in SQL so a 10,000-image source pages without loading every row. Also the
// per-source status counts and the run a source was last inspected with.
import type { Database, Statement } from 'better-sqlite3'
import type { ImageSortKey } from '../../../src-shared/apiTypes.ts'
import { parseJson } from '../json.ts'
import type { ClassStat, ImageRecord, ImageStatus } from '../records.ts'
import { toImageRecord, type ImageRow } from './imagesRepo.ts'

export interface ImageTableQuery {
  readonly sourceId: number
  /** The run whose predictions are joined; null joins none. */
  readonly runId: number | null
  readonly offset: number
  readonly limit: number
  readonly sort: { readonly key: ImageSortKey; readonly isDescending: boolean }
  /** Any of these statuses; absent or empty = all. */
  readonly statuses?: readonly ImageStatus[]
  /** Images where any of these classes has a non-empty mask; absent or empty = no class filter. */
  readonly classIds?: readonly number[]
  /** Gate probability range, inclusive; an image without one is left out when either bound is set. */
  readonly gateMin?: number | null
  readonly gateMax?: number | null
  /** true: only images with an error; false: only images without. */
  readonly hasError?: boolean | null
}

export interface ImageTableRow {
  readonly image: ImageRecord
  readonly predictionId: number | null
  readonly gateProbability: number | null
  readonly gatePassed: boolean | null
  readonly classStats: readonly ClassStat[] | null
  /** Sum of the class areas at image size; null without a prediction. */
  readonly defectAreaPx: number | null
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
}

// Sort expressions come from this table only; no caller text reaches the SQL. Images without a
// value sort last in either direction, and the path breaks ties so paging is stable.
const ORDER: Record<ImageSortKey, string> = {
  name: 'i.relative_path',
  status: "CASE i.status WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 WHEN 'done' THEN 2 ELSE 3 END",
  gateProbability: 'p.gate_probability',
  defectArea: 'defect_area',
}

const FROM_WHERE = `
  FROM images i LEFT JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
  WHERE i.source_id = @sourceId
    AND (@statuses IS NULL OR i.status IN (SELECT value FROM json_each(@statuses)))
    AND (@classIds IS NULL OR EXISTS (
          SELECT 1 FROM json_each(p.class_stats_json) c
          WHERE c.value ->> '$.areaImagePx' > 0 AND c.value ->> '$.classId' IN (SELECT value FROM json_each(@classIds))))
    AND (@gateMin IS NULL OR p.gate_probability >= @gateMin)
    AND (@gateMax IS NULL OR p.gate_probability <= @gateMax)
    AND (@hasError IS NULL OR (i.error IS NOT NULL) = @hasError)`

const DEFECT_AREA = `(SELECT sum(c.value ->> '$.areaImagePx') FROM json_each(p.class_stats_json) c) AS defect_area`

interface Row extends ImageRow {
  prediction_id: number | null
  gate_probability: number | null
  gate_passed: 0 | 1 | null
  class_stats_json: string | null
  defect_area: number | null
}

type Params = {
  sourceId: number
  runId: number | null
  statuses: string | null
  classIds: string | null
  gateMin: number | null
  gateMax: number | null
  hasError: number | null
}

export function createImageTableRepo(db: Database): ImageTableRepo {
  const count = db.prepare<[Params], number>(`SELECT count(*) ${FROM_WHERE}`).pluck()
  const pages = new Map<string, Statement<[Params & { limit: number; offset: number }], Row>>()
  const pageStatement = (key: ImageSortKey, isDescending: boolean) => {
    const id = `${key}:${isDescending}`
    let statement = pages.get(id)
    if (!statement) {
      const direction = isDescending ? 'DESC' : 'ASC'
      statement = db.prepare(
        `SELECT i.*, p.id AS prediction_id, p.gate_probability, p.gate_passed, p.class_stats_json, ${DEFECT_AREA}
         ${FROM_WHERE}
         ORDER BY (${ORDER[key]}) IS NULL, ${ORDER[key]} ${direction}, i.relative_path
         LIMIT @limit OFFSET @offset`,
      )
      pages.set(id, statement)
    }
    return statement
  }
  const counts = db.prepare<[], { source_id: number; status: ImageStatus; count: number }>(
    'SELECT source_id, status, count(*) AS count FROM images GROUP BY source_id, status ORDER BY source_id, status',
  )
  const latestRun = db.prepare<[number], number>(
    `SELECT p.run_id FROM predictions p JOIN images i ON i.id = p.image_id JOIN runs r ON r.id = p.run_id
     WHERE i.source_id = ? ORDER BY r.gate_threshold IS 0, p.id DESC LIMIT 1`,
  ).pluck()

  return {
    page(query) {
      const params: Params = {
        sourceId: query.sourceId,
        runId: query.runId,
        statuses: nonEmptyJson(query.statuses),
        classIds: nonEmptyJson(query.classIds),
        gateMin: query.gateMin ?? null,
        gateMax: query.gateMax ?? null,
        hasError: query.hasError === undefined || query.hasError === null ? null : Number(query.hasError),
      }
      const total = count.get(params)!
      const rows = pageStatement(query.sort.key, query.sort.isDescending).all({ ...params, limit: query.limit, offset: query.offset })
      return { total, rows: rows.map(toRow) }
    },
    statusCounts: () => counts.all().map((r) => ({ sourceId: r.source_id, status: r.status, count: r.count })),
    latestRunId: (sourceId) => latestRun.get(sourceId),
  }
}

function nonEmptyJson(values: readonly unknown[] | undefined): string | null {
  return values && values.length > 0 ? JSON.stringify(values) : null
}

function toRow(row: Row): ImageTableRow {
  return {
    image: toImageRecord(row),
    predictionId: row.prediction_id,
    gateProbability: row.gate_probability,
    gatePassed: row.gate_passed === null ? null : row.gate_passed === 1,
    classStats: row.class_stats_json === null ? null : parseJson<ClassStat[]>(row.class_stats_json),
    defectAreaPx: row.prediction_id === null ? null : (row.defect_area ?? 0),
  }
}
