// Image files of a source, keyed by (source, relative path). A re-scan upserts each file and learns
// whether it is new, changed (different content hash) or unchanged; a changed file goes back to
// pending and loses the facts that described its old content.
import type { Database } from 'better-sqlite3'
import type { ImageRecord, ImageStatus } from '../records.ts'
import { STATUS_RANK } from './imageTableSql.ts'

export interface ScannedImage {
  readonly sourceId: number
  readonly relativePath: string
  readonly byteSize: number
  /** Truncated to whole milliseconds (the column is INTEGER). */
  readonly mtimeMs: number
  readonly sha256: string | null
  readonly width?: number | null
  readonly height?: number | null
}

export type ScanChange = 'new' | 'changed' | 'unchanged'

/** A listed file and the image whose result it stands on (itself, or the identical file inspected). */
export interface ImageWithResult {
  /** The file as listed, with the inspected file's size. */
  readonly image: ImageRecord
  readonly resultImageId: number
}

export interface ImagesRepo {
  upsert(scanned: ScannedImage): { readonly image: ImageRecord; readonly change: ScanChange }
  get(id: number): ImageRecord | undefined
  findByPath(sourceId: number, relativePath: string): ImageRecord | undefined
  listBySource(sourceId: number): ImageRecord[]
  /** The relative paths of a source's images, in path order: read from the path index alone. */
  listPaths(sourceId: number): string[]
  /**
   * Up to `limit` images of the source with a current result in the run (a prediction of their
   * present content, or of an identical file's: copies are inspected once), in path order after
   * `afterPath` (null: from the start): a large source read a page at a time.
   */
  pageWithResult(sourceId: number, runId: number, afterPath: string | null, limit: number): ImageWithResult[]
  /** Every image, in any source, with this content (for deduplication). */
  listBySha256(sha256: string): ImageRecord[]
  /**
   * The images of a source that still need work under a run: no prediction of that run for their
   * current content. Skipped images are left out; failed ones are included (a retry may succeed).
   * Ordered by relative path so a resumed job visits files in the same order.
   */
  listUnpredicted(sourceId: number, runId: number): ImageRecord[]
  /**
   * The same, among the source's pending images only (new and replaced files): read along the
   * status index, so it costs the backlog, not the source — what a watch asks at every slice.
   */
  listPendingUnpredicted(sourceId: number, runId: number): ImageRecord[]
  /** Records the content hash computed when the file was read for inference. */
  recordContent(id: number, sha256: string): void
  markDone(id: number, result: { readonly width: number; readonly height: number; readonly warning?: string | null }): void
  markFailed(id: number, error: string): void
  markSkipped(id: number, reason: string): void
}

export interface ImageRow {
  id: number
  source_id: number
  relative_path: string
  byte_size: number
  mtime_ms: number
  sha256: string | null
  width: number | null
  height: number | null
  status: ImageStatus
  error: string | null
  warning: string | null
}

type Params = [number, string, number, number, string | null, number | null, number | null]

export function createImagesRepo(db: Database): ImagesRepo {
  const byPath = db.prepare<[number, string], ImageRow>('SELECT * FROM images WHERE source_id = ? AND relative_path = ?')
  const byId = db.prepare<[number], ImageRow>('SELECT * FROM images WHERE id = ?')
  const bySource = db.prepare<[number], ImageRow>('SELECT * FROM images WHERE source_id = ? ORDER BY relative_path')
  const pathsOf = db.prepare<[number], string>('SELECT relative_path FROM images WHERE source_id = ? ORDER BY relative_path').pluck()
  // The file's own result, else that of an identical file of the source (inspected once). CROSS
  // JOIN keeps the lookup on the content hash: left to choose, the planner walked every
  // prediction of the run for each image (predictions_by_time), a page taking seconds at 10k.
  const withResult = db.prepare<[number, number, string, number], ImageRow & { result_id: number; result_width: number | null; result_height: number | null }>(
    `SELECT i.*, r.id AS result_id, r.width AS result_width, r.height AS result_height
     FROM images i JOIN images r ON r.id = (
       SELECT c.id FROM images c CROSS JOIN predictions p ON p.run_id = ? AND p.image_id = c.id AND p.image_sha256 = c.sha256
       WHERE c.source_id = i.source_id AND c.sha256 = i.sha256
       ORDER BY c.id <> i.id, c.id LIMIT 1)
     WHERE i.source_id = ? AND i.relative_path > ?
     ORDER BY i.relative_path LIMIT ?`,
  )
  const bySha = db.prepare<[string], ImageRow>('SELECT * FROM images WHERE sha256 = ? ORDER BY id')
  const insert = db.prepare<Params, ImageRow>(
    `INSERT INTO images (source_id, relative_path, byte_size, mtime_ms, sha256, width, height)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const replaceContent = db.prepare<[number, number, string | null, number | null, number | null, number], ImageRow>(
    `UPDATE images SET byte_size = ?, mtime_ms = ?, sha256 = ?, width = ?, height = ?,
       status = 'pending', error = NULL, warning = NULL
     WHERE id = ? RETURNING *`,
  )
  const touch = db.prepare<[number, number, number], ImageRow>('UPDATE images SET byte_size = ?, mtime_ms = ? WHERE id = ? RETURNING *')
  const unpredicted = db.prepare<[number, number], ImageRow>(
    `SELECT i.* FROM images i
     WHERE i.source_id = ? AND i.status <> 'skipped'
       AND NOT EXISTS (SELECT 1 FROM predictions p
                       WHERE p.run_id = ? AND p.image_id = i.id AND p.image_sha256 = i.sha256)
     ORDER BY i.relative_path`,
  )
  // STATUS_RANK 1 is 'pending': the expression of the status index.
  const pendingUnpredicted = db.prepare<[number, number], ImageRow>(
    `SELECT i.* FROM images i
     WHERE i.source_id = ? AND ${STATUS_RANK} = 1
       AND NOT EXISTS (SELECT 1 FROM predictions p
                       WHERE p.run_id = ? AND p.image_id = i.id AND p.image_sha256 = i.sha256)
     ORDER BY i.relative_path`,
  )
  const setDone = db.prepare<[number, number, string | null, number]>(
    "UPDATE images SET status = 'done', width = ?, height = ?, error = NULL, warning = ? WHERE id = ?",
  )
  const setSha = db.prepare<[string, number]>('UPDATE images SET sha256 = ? WHERE id = ?')
  const setFailed = db.prepare<[string, number]>("UPDATE images SET status = 'failed', error = ?, warning = NULL WHERE id = ?")
  const setSkipped = db.prepare<[string, number]>("UPDATE images SET status = 'skipped', error = NULL, warning = ? WHERE id = ?")

  const upsert = db.transaction((scanned: ScannedImage) => {
    const mtimeMs = Math.trunc(scanned.mtimeMs)
    const width = scanned.width ?? null
    const height = scanned.height ?? null
    const existing = byPath.get(scanned.sourceId, scanned.relativePath)
    if (!existing) {
      const row = insert.get(scanned.sourceId, scanned.relativePath, scanned.byteSize, mtimeMs, scanned.sha256, width, height)
      return { image: toImageRecord(row!), change: 'new' as const }
    }
    // A scan that did not hash the file trusts an unchanged size and mtime; the content hash
    // arrives with the inference result (recordContent).
    const isSameFile =
      scanned.sha256 === null ? existing.byte_size === scanned.byteSize && existing.mtime_ms === mtimeMs : existing.sha256 === scanned.sha256
    if (!isSameFile || (scanned.sha256 !== null && existing.sha256 === null)) {
      const row = replaceContent.get(scanned.byteSize, mtimeMs, scanned.sha256, width, height, existing.id)
      return { image: toImageRecord(row!), change: 'changed' as const }
    }
    const row = touch.get(scanned.byteSize, mtimeMs, existing.id)
    return { image: toImageRecord(row!), change: 'unchanged' as const }
  })

  return {
    upsert: (scanned) => upsert(scanned),
    get: (id) => mapOptional(byId.get(id)),
    findByPath: (sourceId, relativePath) => mapOptional(byPath.get(sourceId, relativePath)),
    listBySource: (sourceId) => bySource.all(sourceId).map(toImageRecord),
    listPaths: (sourceId) => pathsOf.all(sourceId),
    pageWithResult: (sourceId, runId, afterPath, limit) =>
      withResult.all(runId, sourceId, afterPath ?? '', limit).map((row) => ({
        image: row.result_id === row.id ? toImageRecord(row) : { ...toImageRecord(row), width: row.result_width, height: row.result_height },
        resultImageId: row.result_id,
      })),
    listBySha256: (sha256) => bySha.all(sha256).map(toImageRecord),
    listUnpredicted: (sourceId, runId) => unpredicted.all(sourceId, runId).map(toImageRecord),
    listPendingUnpredicted: (sourceId, runId) => pendingUnpredicted.all(sourceId, runId).map(toImageRecord),
    recordContent: (id, sha256) => expectOne(setSha.run(sha256, id).changes, id),
    markDone: (id, result) => expectOne(setDone.run(result.width, result.height, result.warning ?? null, id).changes, id),
    markFailed: (id, error) => expectOne(setFailed.run(error, id).changes, id),
    markSkipped: (id, reason) => expectOne(setSkipped.run(reason, id).changes, id),
  }
}

function expectOne(changes: number, id: number): void {
  if (changes !== 1) throw new Error(`no image with id ${id}`)
}

function mapOptional(row: ImageRow | undefined): ImageRecord | undefined {
  return row && toImageRecord(row)
}

/** Maps an `images` row (SELECT *) to its record; the image table reuses it for its joined rows. */
export function toImageRecord(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    sourceId: row.source_id,
    relativePath: row.relative_path,
    byteSize: row.byte_size,
    mtimeMs: row.mtime_ms,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    status: row.status,
    error: row.error,
    warning: row.warning,
  }
}
