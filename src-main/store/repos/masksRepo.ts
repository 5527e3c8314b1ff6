// Masks at image size, as revisions: each (image, class) has revisions 1, 2, …, and the highest is
// current. Model masks are written with their prediction, human masks with their edit; nothing is
// changed in place (the schema refuses UPDATE, and DELETE of a human mask).
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import type { MaskOrigin, MaskRecord } from '../records.ts'

export interface MaskInput {
  readonly imageId: number
  readonly classId: number
  readonly rle: string
  readonly origin: MaskOrigin
  readonly runId: number | null
}

export interface MasksRepo {
  /** The current mask of one class of an image: its highest revision. */
  current(imageId: number, classId: number): MaskRecord | undefined
  /** The current mask of every class that has one, by class id. */
  currentForImage(imageId: number): MaskRecord[]
  /** Every revision of one class of an image, oldest first. */
  revisions(imageId: number, classId: number): MaskRecord[]
  /** The latest mask each class got from one run (what that run produced, whatever came after). */
  fromRun(runId: number, imageId: number): MaskRecord[]
  /** fromRun for a page of images in one statement, by image id. */
  fromRunForImages(runId: number, imageIds: readonly number[]): Map<number, MaskRecord[]>
}

/** The writer side, for the repositories that create masks inside their own transactions. */
export interface MaskWriter {
  append(mask: MaskInput): MaskRecord
}

interface MaskRow {
  id: number
  image_id: number
  run_id: number | null
  class_id: number
  rle: string
  origin: MaskOrigin
  revision: number
  created_at_ms: number
}

export function createMasksRepo(db: Database, now: Clock): MasksRepo & MaskWriter {
  // The next revision is computed in the INSERT itself: there is one writer, and the UNIQUE key
  // (image, class, revision) would refuse a duplicate anyway.
  const insert = db.prepare<[MaskInput & { readonly createdAtMs: number }], MaskRow>(
    `INSERT INTO masks (image_id, run_id, class_id, rle, origin, created_at_ms, revision)
     SELECT @imageId, @runId, @classId, @rle, @origin, @createdAtMs, coalesce(max(revision), 0) + 1
     FROM masks WHERE image_id = @imageId AND class_id = @classId
     RETURNING *`,
  )
  const current = db.prepare<[number, number], MaskRow>(
    'SELECT * FROM masks WHERE image_id = ? AND class_id = ? ORDER BY revision DESC LIMIT 1',
  )
  const currentForImage = db.prepare<[number], MaskRow>(
    `SELECT * FROM masks m WHERE image_id = ?
       AND revision = (SELECT max(revision) FROM masks WHERE image_id = m.image_id AND class_id = m.class_id)
     ORDER BY class_id`,
  )
  const revisions = db.prepare<[number, number], MaskRow>('SELECT * FROM masks WHERE image_id = ? AND class_id = ? ORDER BY revision')
  const fromRun = db.prepare<[{ runId: number; imageId: number }], MaskRow>(
    `SELECT * FROM masks m WHERE run_id = @runId AND image_id = @imageId AND origin = 'model'
       AND revision = (SELECT max(revision) FROM masks
                       WHERE run_id = @runId AND image_id = @imageId AND origin = 'model' AND class_id = m.class_id)
     ORDER BY class_id`,
  )

  const fromRunOfMany = db.prepare<[{ runId: number; imageIds: string }], MaskRow>(
    `SELECT m.* FROM json_each(@imageIds) j CROSS JOIN masks m ON m.run_id = @runId AND m.image_id = j.value AND m.origin = 'model'
     ORDER BY m.image_id, m.class_id, m.revision`,
  )

  return {
    append: (mask) => {
      const { imageId, runId, classId, rle, origin } = mask // only the named parameters: extra keys are an error
      return toRecord(insert.get({ imageId, runId, classId, rle, origin, createdAtMs: now() })!)
    },
    current: (imageId, classId) => {
      const row = current.get(imageId, classId)
      return row && toRecord(row)
    },
    currentForImage: (imageId) => currentForImage.all(imageId).map(toRecord),
    revisions: (imageId, classId) => revisions.all(imageId, classId).map(toRecord),
    fromRun: (runId, imageId) => fromRun.all({ runId, imageId }).map(toRecord),
    fromRunForImages(runId, imageIds) {
      // Rows come by image, class and revision: the last of each (image, class) is the latest.
      const latest = new Map<number, Map<number, MaskRecord>>(imageIds.map((id) => [id, new Map()]))
      for (const row of fromRunOfMany.all({ runId, imageIds: JSON.stringify(imageIds) })) latest.get(row.image_id)!.set(row.class_id, toRecord(row))
      return new Map([...latest].map(([id, byClass]) => [id, [...byClass.values()]]))
    },
  }
}

function toRecord(row: MaskRow): MaskRecord {
  return {
    id: row.id,
    imageId: row.image_id,
    runId: row.run_id,
    classId: row.class_id,
    rle: row.rle,
    origin: row.origin,
    revision: row.revision,
    createdAtMs: row.created_at_ms,
  }
}
