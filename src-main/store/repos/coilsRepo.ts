// Coils of a source: the per-source grouping and geometry settings, and the coils themselves with
// their images in order. Membership is derived data: `replace` brings a whole source's up to date,
// rewriting only the coils whose size or images changed, and keeps each coil's id (by name), so
// decisions recorded against a coil stay attached to it.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import { libraryChangeStamp } from './libraryChanges.ts'
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
  /**
   * Changes whenever any image or prediction may have changed: a write by this connection or a
   * commit by another. Constant time: a first check before the per-source stamps below.
   */
  libraryStamp(): string
  /** A digest of the source's images as grouping sees them (ids, status, size, error). */
  imagesStamp(sourceId: number): string
  /**
   * Per coil of the source, a digest of everything its status stands on: its record and images in
   * order, their sizes and files, their results in every run, their mask edits, the threshold
   * profiles applied to the source's runs, and the current decision. One grouped statement for the
   * whole source.
   */
  statusFingerprints(sourceId: number): Map<number, string>
  /**
   * Changes with any fingerprint of the source's coils, given an unchanged `libraryStamp`: the
   * newest edit, decision and profile choice anywhere, and each coil's record and size. Cheap: when
   * it holds, the fingerprints need not be read.
   */
  statusStamp(sourceId: number): string
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
  const clearCoilMembers = db.prepare<[number]>('DELETE FROM coil_images WHERE coil_id = ?')
  const sourceMembers = db.prepare<[number], { coil_id: number; image_id: number; position_mm: number }>(
    'SELECT m.coil_id, m.image_id, m.position_mm FROM coil_images m JOIN coils c ON c.id = m.coil_id WHERE c.source_id = ? ORDER BY m.coil_id, m.seq',
  )
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

  /** The source's coils as stored, by name, with their members head first. */
  const storedCoils = (sourceId: number) => {
    const byId = new Map<number, StoredCoil>(listSource.all(sourceId).map((r) => [r.id, { id: r.id, name: r.name, lengthMm: r.length_mm, widthMm: r.width_mm, images: [] }]))
    for (const m of sourceMembers.all(sourceId)) byId.get(m.coil_id)!.images.push({ imageId: m.image_id, positionMm: m.position_mm })
    return new Map([...byId.values()].map((c) => [c.name, c]))
  }

  const changeStamp = libraryChangeStamp(db)
  const imagesDigest = db.prepare<[number], string>(
    `SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || total(id) || ':' || total(status = 'done') || ':' || total(status = 'failed')
       || ':' || total(status = 'skipped') || ':' || total(coalesce(width, -1) * 65536 + coalesce(height, -1)) || ':' || total(length(error))
     FROM images WHERE source_id = ?`,
  ).pluck()
  const statusDigest = db.prepare<[number], string>(
    `SELECT json_array((SELECT max(id) FROM edits), (SELECT max(id) FROM coil_decisions), (SELECT max(id) FROM run_profiles),
       (SELECT json_group_array(json_array(c.id, c.name, c.length_mm, c.width_mm, c.updated_at_ms, (SELECT count(*) FROM coil_images m WHERE m.coil_id = c.id)))
        FROM coils c WHERE c.source_id = ?))`,
  ).pluck()
  const fingerprints = db.prepare<[{ source: number }], { id: number; fingerprint: string }>(STATUS_FINGERPRINTS)

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
        const stored = storedCoils(sourceId)
        const changed = coils.filter((coil) => !sameCoil(stored.get(coil.name), coil))
        const wanted = new Set(coils.map((c) => c.name))
        // Members leave first: an image may move from one rewritten coil to another.
        for (const coil of [...changed, ...[...stored.values()].filter((c) => !wanted.has(c.name))]) {
          const id = stored.get(coil.name)?.id
          if (id !== undefined) clearCoilMembers.run(id)
        }
        const at = now()
        for (const coil of changed) {
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
    libraryStamp: () => changeStamp(false),
    imagesStamp: (sourceId) => imagesDigest.get(sourceId)!,
    statusStamp: (sourceId) => `${changeStamp(false)}|${statusDigest.get(sourceId)}`,
    statusFingerprints: (sourceId) => new Map(fingerprints.all({ source: sourceId }).map((r) => [r.id, r.fingerprint])),
  }
}

// Read from covering indexes where it can: a new result of an image is a new prediction row, and a
// result replaced in its run follows a change of the file (its size and time); every mask revision
// after a run's own is an edit. A profile applied to any run of the source counts for all its coils.
const STATUS_FINGERPRINTS = `
WITH m AS (
  SELECT ci.coil_id, ci.image_id, ci.seq, ci.position_mm FROM coil_images ci JOIN coils c ON c.id = ci.coil_id WHERE c.source_id = @source
), members AS (
  SELECT m.coil_id, count(*) || ':' || total(m.image_id * (m.seq + 1)) || ':' || total(m.position_mm * (m.seq + 1))
    || ':' || total(coalesce(i.width, -1) * 65536 + coalesce(i.height, -1)) || ':' || total(i.mtime_ms) || ':' || total(i.byte_size) AS digest
  FROM m JOIN images i ON i.id = m.image_id GROUP BY m.coil_id
), results AS (
  SELECT m.coil_id, count(*) || ':' || total(p.id) AS digest FROM m JOIN predictions p ON p.image_id = m.image_id GROUP BY m.coil_id
), revisions AS (
  SELECT m.coil_id, count(*) || ':' || max(e.id) AS digest FROM m JOIN edits e ON e.image_id = m.image_id GROUP BY m.coil_id
), profiles AS (
  SELECT max(rp.id) AS id FROM run_profiles rp JOIN runs r ON r.id = rp.run_id WHERE r.source_id = @source
)
SELECT c.id, json_array(c.name, c.length_mm, c.width_mm, c.updated_at_ms, members.digest, results.digest, revisions.digest,
  (SELECT id FROM profiles), (SELECT max(id) FROM coil_decisions WHERE coil_id = c.id)) AS fingerprint
FROM coils c
LEFT JOIN members ON members.coil_id = c.id LEFT JOIN results ON results.coil_id = c.id LEFT JOIN revisions ON revisions.coil_id = c.id
WHERE c.source_id = @source`

interface StoredCoil extends CoilInput {
  readonly id: number
  readonly images: { imageId: number; positionMm: number }[]
}

function sameCoil(stored: StoredCoil | undefined, coil: CoilInput): boolean {
  return (
    stored !== undefined && stored.lengthMm === coil.lengthMm && stored.widthMm === coil.widthMm &&
    stored.images.length === coil.images.length &&
    stored.images.every((m, k) => m.imageId === coil.images[k].imageId && m.positionMm === coil.images[k].positionMm)
  )
}

function toRecord(row: CoilRow): CoilRecord {
  return {
    id: row.id, sourceId: row.source_id, name: row.name, lengthMm: row.length_mm, widthMm: row.width_mm,
    imageCount: row.image_count, updatedAtMs: row.updated_at_ms,
  }
}
