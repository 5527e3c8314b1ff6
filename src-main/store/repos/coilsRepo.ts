// Coils of a source: the per-source grouping and geometry settings, and the coils themselves with
// their images in order. Membership is derived data: `replace` rewrites it for a whole source but
// keeps each coil's id (by name), so decisions recorded against a coil stay attached to it.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import type { JsonValue } from '../records.ts'

export interface CoilRecord {
  readonly id: number
  readonly sourceId: number
  readonly name: string
  readonly lengthMm: number
  readonly widthMm: number
  readonly imageCount: number
  readonly updatedAtMs: number
}

export interface CoilImageRecord {
  readonly imageId: number
  readonly seq: number
  readonly positionMm: number
}

export interface CoilInput {
  readonly name: string
  readonly lengthMm: number
  readonly widthMm: number
  /** Head first; seq is the index here. */
  readonly images: readonly { readonly imageId: number; readonly positionMm: number }[]
}

export interface CoilSettings {
  readonly grouping: JsonValue | null
  readonly geometry: JsonValue | null
}

export interface CoilsRepo {
  settings(sourceId: number): CoilSettings
  setSettings(sourceId: number, settings: CoilSettings): void
  /** Makes `coils` the source's coils; a coil that vanished is removed unless a decision names it. */
  replace(sourceId: number, coils: readonly CoilInput[]): CoilRecord[]
  list(sourceId?: number): CoilRecord[]
  get(id: number): CoilRecord | undefined
  images(coilId: number): CoilImageRecord[]
  /** Time of the newest mask edit on any image of the coil, or null when none was edited. */
  lastEditAtMs(coilId: number): number | null
  /** The newest run with a result for any image of the coil, or null. */
  latestRunId(coilId: number): number | null
}

interface CoilRow {
  id: number
  source_id: number
  name: string
  length_mm: number
  width_mm: number
  updated_at_ms: number
  image_count: number
}

const SELECT_COILS = `SELECT c.*, (SELECT count(*) FROM coil_images m WHERE m.coil_id = c.id) AS image_count FROM coils c`

export function createCoilsRepo(db: Database, now: Clock): CoilsRepo {
  const getSettings = db.prepare<[number], { grouping_json: string | null; geometry_json: string | null }>(
    'SELECT grouping_json, geometry_json FROM coil_settings WHERE source_id = ?',
  )
  const putSettings = db.prepare<[number, string | null, string | null, number]>(
    `INSERT INTO coil_settings (source_id, grouping_json, geometry_json, updated_at_ms) VALUES (?, ?, ?, ?)
     ON CONFLICT (source_id) DO UPDATE SET grouping_json = excluded.grouping_json, geometry_json = excluded.geometry_json,
       updated_at_ms = excluded.updated_at_ms`,
  )
  const upsertCoil = db.prepare<[number, string, number, number, number], { id: number }>(
    `INSERT INTO coils (source_id, name, length_mm, width_mm, updated_at_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source_id, name) DO UPDATE SET length_mm = excluded.length_mm, width_mm = excluded.width_mm,
       updated_at_ms = excluded.updated_at_ms RETURNING id`,
  )
  const clearMembers = db.prepare<[number]>('DELETE FROM coil_images WHERE coil_id IN (SELECT id FROM coils WHERE source_id = ?)')
  const addMember = db.prepare<[number, number, number, number]>('INSERT INTO coil_images (coil_id, seq, image_id, position_mm) VALUES (?, ?, ?, ?)')
  const removeUndecidedEmpty = db.prepare<[number]>(
    `DELETE FROM coils WHERE source_id = ? AND id NOT IN (SELECT coil_id FROM coil_images)
       AND id NOT IN (SELECT coil_id FROM coil_decisions)`,
  )
  const listAll = db.prepare<[], CoilRow>(`${SELECT_COILS} ORDER BY c.source_id, c.name`)
  const listSource = db.prepare<[number], CoilRow>(`${SELECT_COILS} WHERE c.source_id = ? ORDER BY c.name`)
  const getOne = db.prepare<[number], CoilRow>(`${SELECT_COILS} WHERE c.id = ?`)
  const members = db.prepare<[number], { image_id: number; seq: number; position_mm: number }>(
    'SELECT image_id, seq, position_mm FROM coil_images WHERE coil_id = ? ORDER BY seq',
  )
  const lastEdit = db.prepare<[number], number | null>(
    'SELECT max(e.created_at_ms) FROM edits e JOIN coil_images m ON m.image_id = e.image_id WHERE m.coil_id = ?',
  ).pluck()

  const latestRun = db.prepare<[number], number | null>(
    'SELECT max(p.run_id) FROM predictions p JOIN coil_images m ON m.image_id = p.image_id WHERE m.coil_id = ?',
  ).pluck()

  const toJson = (value: JsonValue | null) => (value === null ? null : canonicalJson(value))
  const fromJson = (text: string | null) => (text === null ? null : parseJson<JsonValue>(text))

  return {
    settings(sourceId) {
      const row = getSettings.get(sourceId)
      return { grouping: fromJson(row?.grouping_json ?? null), geometry: fromJson(row?.geometry_json ?? null) }
    },
    setSettings(sourceId, settings) {
      putSettings.run(sourceId, toJson(settings.grouping), toJson(settings.geometry), now())
    },
    replace(sourceId, coils) {
      return db.transaction(() => {
        clearMembers.run(sourceId)
        const at = now()
        for (const coil of coils) {
          const { id } = upsertCoil.get(sourceId, coil.name, coil.lengthMm, coil.widthMm, at)!
          coil.images.forEach((image, seq) => addMember.run(id, seq, image.imageId, image.positionMm))
        }
        removeUndecidedEmpty.run(sourceId)
        return listSource.all(sourceId).map(toRecord)
      })()
    },
    list: (sourceId) => (sourceId === undefined ? listAll.all() : listSource.all(sourceId)).map(toRecord),
    get: (id) => {
      const row = getOne.get(id)
      return row && toRecord(row)
    },
    images: (coilId) => members.all(coilId).map((r) => ({ imageId: r.image_id, seq: r.seq, positionMm: r.position_mm })),
    lastEditAtMs: (coilId) => lastEdit.get(coilId) ?? null,
    latestRunId: (coilId) => latestRun.get(coilId) ?? null,
  }
}

function toRecord(row: CoilRow): CoilRecord {
  return {
    id: row.id, sourceId: row.source_id, name: row.name, lengthMm: row.length_mm, widthMm: row.width_mm,
    imageCount: row.image_count, updatedAtMs: row.updated_at_ms,
  }
}
