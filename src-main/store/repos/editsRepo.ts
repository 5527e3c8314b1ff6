// The append-only history of human corrections. Recording an edit also writes the mask revision it
// produced, in one transaction, so the current mask and its history never disagree. The schema
// refuses UPDATE and DELETE on edits.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import type { EditRecord, MaskRecord } from '../records.ts'
import type { MaskWriter } from './masksRepo.ts'

export interface EditInput {
  readonly imageId: number
  readonly classId: number
  /**
   * The mask the inspector started from, as shown (it may come from live thresholds rather than
   * the stored revision, so it is recorded, not checked against it).
   */
  readonly beforeRle: string
  readonly afterRle: string
  readonly tool: string
  readonly author: string
  /** The run whose result was being corrected, if any. */
  readonly runId?: number | null
  /**
   * 'model' hands the class back to the model (revert): the new revision is a model mask of
   * `runId` and follows the thresholds again. Default 'human'.
   */
  readonly origin?: 'human' | 'model'
}

export interface EditsRepo {
  record(input: EditInput): { readonly edit: EditRecord; readonly mask: MaskRecord }
  listForImage(imageId: number): EditRecord[]
}

interface EditRow {
  id: number
  image_id: number
  class_id: number
  before_rle: string
  after_rle: string
  mask_id: number
  tool: string
  author: string
  created_at_ms: number
}

export function createEditsRepo(db: Database, now: Clock, masks: MaskWriter): EditsRepo {
  const insert = db.prepare<[number, number, string, string, number, string, string, number], EditRow>(
    `INSERT INTO edits (image_id, class_id, before_rle, after_rle, mask_id, tool, author, created_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const forImage = db.prepare<[number], EditRow>('SELECT * FROM edits WHERE image_id = ? ORDER BY id')

  const record = db.transaction((input: EditInput) => {
    const mask = masks.append({ imageId: input.imageId, classId: input.classId, rle: input.afterRle, origin: input.origin ?? 'human', runId: input.runId ?? null })
    const row = insert.get(input.imageId, input.classId, input.beforeRle, input.afterRle, mask.id, input.tool, input.author, now())
    return { edit: toRecord(row!), mask }
  })

  return {
    record: (input) => record(input),
    listForImage: (imageId) => forImage.all(imageId).map(toRecord),
  }
}

function toRecord(row: EditRow): EditRecord {
  return {
    id: row.id,
    imageId: row.image_id,
    classId: row.class_id,
    beforeRle: row.before_rle,
    afterRle: row.after_rle,
    maskId: row.mask_id,
    tool: row.tool,
    author: row.author,
    createdAtMs: row.created_at_ms,
  }
}
