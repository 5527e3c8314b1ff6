// The SQL of the Library's pages, built from which filters are set so that each statement can use
// the index made for it (an `@x IS NULL OR …` filter hides a partial index from the planner).
// Pages are found in two segments: the images with a sort value, along that value's index, then
// the images without one (no result in the run) in path order. No caller text reaches the SQL.
import type { ImageSortKey, ReviewFilter } from '../../../src-shared/apiTypes.ts'

/** Which filters a query sets (their values travel as parameters). */
export interface FilterShape {
  readonly statuses: boolean
  readonly classes: boolean
  readonly gateMin: boolean
  readonly gateMax: boolean
  readonly hasError: boolean | null
  readonly review: ReviewFilter | null
  /**
   * The review state holds few images: read them along the state's own index and sort them, rather
   * than walk the whole order's index for the few that are in that state.
   */
  readonly sortsReviewState?: boolean
}

export type Segment = 'values' | 'nulls'

export const STATUS_RANK = "(CASE i.status WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 WHEN 'done' THEN 2 ELSE 3 END)"

/** The prediction column a sort reads; null for the sorts on the image itself. */
export const PREDICTION_SORT: Record<ImageSortKey, string | null> = {
  name: null,
  status: null,
  gateProbability: 'gate_probability',
  defectArea: 'defect_area_px',
}

/** The index in that column's order (a gate range must not send the area sort to the gate's index). */
const SORT_INDEX: Record<string, string> = { gate_probability: 'predictions_by_gate', defect_area_px: 'predictions_by_area' }

export function hasPredictionFilter(shape: FilterShape): boolean {
  return shape.classes || shape.gateMin || shape.gateMax
}

/** The segments of a sort's order: a gate bound leaves out every image without a gate. */
export function segmentsOf(key: ImageSortKey, shape: FilterShape, hasRun: boolean): Segment[] {
  if (PREDICTION_SORT[key] === null || !hasRun) return ['nulls']
  return shape.gateMin || shape.gateMax ? ['values'] : ['values', 'nulls']
}

export function hasImageFilter(shape: FilterShape): boolean {
  return shape.statuses || shape.hasError !== null || shape.review !== null
}

function reviewClause(review: ReviewFilter | null): string[] {
  if (review === null) return []
  return [review === 'edited' ? 'i.edited_class_mask <> 0' : 'i.review_status = @review']
}

/** The index of a review filter: its images in path order. */
function reviewIndex(review: ReviewFilter): string {
  return review === 'edited' ? 'images_edited' : 'images_by_review'
}

function imageClauses(shape: FilterShape): string[] {
  const clauses: string[] = []
  if (shape.statuses) clauses.push('i.status IN (SELECT value FROM json_each(@statuses))')
  if (shape.hasError !== null) clauses.push(shape.hasError ? 'i.error IS NOT NULL' : 'i.error IS NULL')
  clauses.push(...reviewClause(shape.review))
  return clauses
}

function predictionClauses(shape: FilterShape): string[] {
  const clauses: string[] = []
  // `class_mask <> 0` lets the planner use the index of defective predictions.
  if (shape.classes) clauses.push('p.class_mask <> 0', '(p.class_mask & @classBits) <> 0')
  if (shape.gateMin) clauses.push('p.gate_probability >= @gateMin')
  if (shape.gateMax) clauses.push('p.gate_probability <= @gateMax')
  return clauses
}

const where = (clauses: readonly string[]) => clauses.join('\n    AND ')

/**
 * The ids of one page in one segment. `keyset`: start after the cursor's sort value and image
 * (@afterValue, @afterPath, @afterId); either way skip @offset rows. `reverse` reads the segment
 * from its end (a page near the end of the list skips few rows that way). `laterRanks`: the status
 * order's rows in the ranks after the cursor's.
 */
export function pageIdsSql(key: ImageSortKey, isDescending: boolean, segment: Segment, shape: FilterShape, keyset: boolean, reverse = false, laterRanks = false): string {
  const dir = isDescending !== reverse ? 'DESC' : 'ASC'
  const after = isDescending ? '<' : '>'
  const column = PREDICTION_SORT[key]
  if (column && segment === 'values') {
    const clauses = ['p.run_id = @runId', `p.${column} IS NOT NULL`, ...predictionClauses(shape), ...imageClauses(shape)]
    // A defective class has a mask, so an area: the area index's range starts after the clean predictions.
    if (shape.classes && column === 'defect_area_px') clauses.push('p.defect_area_px > 0')
    if (keyset) clauses.push(`(p.${column}, p.image_id) ${after} (@afterValue, @afterId)`)
    const from = shape.sortsReviewState
      ? `images i INDEXED BY ${reviewIndex(shape.review!)} CROSS JOIN predictions p INDEXED BY predictions_by_run_image ON p.run_id = @runId AND p.image_id = i.id`
      : `predictions p INDEXED BY ${SORT_INDEX[column]} ${hasImageFilter(shape) ? 'CROSS JOIN images i ON i.id = p.image_id' : ''}`
    if (shape.sortsReviewState) clauses.unshift('i.source_id = @sourceId')
    return `SELECT p.image_id FROM ${from}
  WHERE ${where(clauses)}
  ORDER BY p.${column} ${dir}, p.image_id ${dir}
  LIMIT @limit OFFSET @offset`
  }
  const clauses = ['i.source_id = @sourceId', ...imageClauses(shape), ...predictionClauses(shape)]
  // CROSS JOIN keeps the images outer, along the index of the order (the planner would rather sort).
  let join = hasPredictionFilter(shape) ? 'CROSS JOIN predictions p INDEXED BY predictions_by_run_image ON p.run_id = @runId AND p.image_id = i.id' : ''
  let order: string
  if (column) {
    // The images without a value of the sort, in path order whichever the direction.
    if (!join) join = 'LEFT JOIN predictions p INDEXED BY predictions_by_run_image ON p.run_id = @runId AND p.image_id = i.id'
    clauses.push(`p.${column} IS NULL`)
    if (keyset) clauses.push('i.relative_path > @afterPath')
    order = `i.relative_path ${reverse ? 'DESC' : 'ASC'}`
  } else if (key === 'status') {
    // After a row: the rest of its rank, then (`laterRanks`) the ranks after it — two ranges of the
    // status index (one condition spanning both would walk the cursor's rank from its start).
    if (keyset && laterRanks) clauses.push(`${STATUS_RANK} ${after} @afterValue`)
    else if (keyset) clauses.push(`${STATUS_RANK} = @afterValue`, `i.relative_path ${after} @afterPath`)
    // Within one rank, by path alone (the planner would otherwise sort the rank's rows).
    order = keyset && !laterRanks ? `i.relative_path ${dir}` : `${STATUS_RANK} ${dir}, i.relative_path ${dir}`
  } else {
    if (keyset) clauses.push(`i.relative_path ${after} @afterPath`)
    order = `i.relative_path ${dir}`
  }
  // Errors are few: their own index, in path order, rather than the whole source's; so are the
  // images of one review state, and the rest of a review state is read along its own range.
  let from = 'images i'
  if (shape.hasError === true && key === 'name') from = 'images i INDEXED BY images_with_error'
  else if (shape.review !== null && (key === 'name' || shape.sortsReviewState)) from = `images i INDEXED BY ${reviewIndex(shape.review)}`
  return `SELECT i.id FROM ${from} ${join}
  WHERE ${where(clauses)}
  ORDER BY ${order}
  LIMIT @limit OFFSET @offset`
}

/**
 * The seek marks of a segment in name or status order under a class filter, in one statement: the
 * run's defective predictions read along their own index and put in order (far fewer rows than
 * walking every image of the source for its prediction). A row is a mark where its position in
 * the whole order (@firstPosition + its number in the segment, from 1) is a multiple of @stride;
 * the last row comes too, with the segment's size.
 */
export function classMarksSql(key: ImageSortKey, isDescending: boolean, shape: FilterShape): string {
  const dir = isDescending ? 'DESC' : 'ASC'
  const column = PREDICTION_SORT[key]
  const clauses = ['p.run_id = @runId', ...predictionClauses(shape), 'i.source_id = @sourceId', ...imageClauses(shape)]
  let order = `i.relative_path ${dir}`
  if (column) {
    // The images without a value of a prediction sort, in path order whichever the direction.
    clauses.push(`p.${column} IS NULL`)
    order = 'i.relative_path ASC'
  } else if (key === 'status') order = `${STATUS_RANK} ${dir}, i.relative_path ${dir}`
  return `SELECT id, n, size FROM (
    SELECT i.id, row_number() OVER (ORDER BY ${order}) AS n, count(*) OVER () AS size
    FROM predictions p INDEXED BY predictions_defective CROSS JOIN images i ON i.id = p.image_id
    WHERE ${where(clauses)})
  WHERE (@firstPosition + n) % @stride = 0 OR n = size
  ORDER BY n`
}

/**
 * Up to @count ids of a segment, @stride rows apart, in one statement: the first @skip rows after
 * the cursor (@afterValue, @afterPath, @afterId; `fromStart`: from the segment's start), each next
 * one found from the one before inside SQLite, so only these ids reach the caller. Only for the
 * segments in path order; undefined for the others.
 */
export function leapSql(key: ImageSortKey, isDescending: boolean, segment: Segment, shape: FilterShape, fromStart: boolean): string | undefined {
  const column = PREDICTION_SORT[key]
  const isValues = column !== null && segment === 'values'
  // SQLite ranges an index on a (value, id) pair from a recursion's columns by the value alone:
  // each step would walk all the cursor's ties (most areas are 0). Those segments go in chunks.
  if (key === 'status' || isValues) return undefined
  // Each step gives the path found, the cursor of the next step (a column of the recursion, so that
  // the step's range along the index starts right at it); ids are read by path at the end.
  const step = (keyset: boolean) =>
    pageIdsSql(key, isDescending, segment, shape, keyset).replace('@limit', '1').replace(/^SELECT i\.id /, 'SELECT i.relative_path ')
  const next = step(true).replace('@offset', '(@stride - 1)').replaceAll('@afterPath', 'marks.path')
  const anchor = step(!fromStart).replace('@offset', '@skip')
  return `WITH RECURSIVE marks(k, path) AS (
    SELECT 1, (${anchor})
    UNION ALL
    SELECT k + 1, (${next}) FROM marks WHERE path IS NOT NULL AND k < @count)
  SELECT (SELECT ci.id FROM images ci WHERE ci.source_id = @sourceId AND ci.relative_path = marks.path)
  FROM marks WHERE path IS NOT NULL ORDER BY k`
}

/** How many rows the 'values' segment of a prediction sort holds. */
export function valuesCountSql(column: string, shape: FilterShape): string {
  const clauses = ['p.run_id = @runId', `p.${column} IS NOT NULL`, ...predictionClauses(shape), ...imageClauses(shape)]
  if (shape.sortsReviewState) {
    return `SELECT count(*) FROM images i INDEXED BY ${reviewIndex(shape.review!)} CROSS JOIN predictions p INDEXED BY predictions_by_run_image ON p.run_id = @runId AND p.image_id = i.id
  WHERE ${where(['i.source_id = @sourceId', ...clauses])}`
  }
  const join = hasImageFilter(shape) ? 'JOIN images i ON i.id = p.image_id' : ''
  return `SELECT count(*) FROM predictions p ${join} WHERE ${where(clauses)}`
}

/**
 * The number of matching images when a prediction filter is set (every match has a prediction in
 * the run, and a run's predictions are all of its source).
 */
export function predictionCountSql(shape: FilterShape): string {
  const clauses = ['p.run_id = @runId', ...predictionClauses(shape), ...imageClauses(shape)]
  const join = hasImageFilter(shape) ? 'JOIN images i ON i.id = p.image_id' : ''
  return `SELECT count(*) FROM predictions p ${join} WHERE ${where(clauses)}`
}

/** The images with an error in a source (by status when a status filter is set). */
export const ERROR_COUNT_SQL = `SELECT count(*) FROM images i INDEXED BY images_with_error
  WHERE i.source_id = @sourceId AND i.error IS NOT NULL AND (@statuses IS NULL OR i.status IN (SELECT value FROM json_each(@statuses)))`

/**
 * The number of a source's images in a review state (with the other image filters). Unreviewed
 * images are most of a source: they are counted as the rest, from the few reviewed ones.
 */
export function reviewCountSql(shape: FilterShape & { readonly review: ReviewFilter }): string {
  const reviewed = shape.review === 'unreviewed'
  const clauses = [
    'i.source_id = @sourceId',
    ...imageClauses({ ...shape, review: null }),
    reviewed ? "i.review_status IN ('accepted', 'rejected', 'flagged')" : reviewClause(shape.review)[0],
  ]
  return `SELECT count(*) FROM images i INDEXED BY ${reviewIndex(shape.review)} WHERE ${where(clauses)}`
}

/** The sort values of the cursor's image, to continue after it. */
export const CURSOR_SQL = `SELECT i.relative_path AS path, ${STATUS_RANK} AS status_rank,
    p.gate_probability, p.defect_area_px
  FROM images i LEFT JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
  WHERE i.id = @afterId AND i.source_id = @sourceId`

/** The rows of a page, by id (their order is restored by the caller). */
export const ROWS_SQL = `SELECT i.*, p.id AS prediction_id, p.gate_probability, p.gate_passed, p.class_stats_json
  FROM images i LEFT JOIN predictions p ON p.run_id = @runId AND p.image_id = i.id
  WHERE i.id IN (SELECT value FROM json_each(@ids))`
