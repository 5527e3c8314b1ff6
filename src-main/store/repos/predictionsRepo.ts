// Predictions: one row per (run, image) with the gate's verdict, per-class statistics and the
// compressed stage-2 probability maps, written in one transaction with that image's model masks.
// Saving is idempotent: a resumed job that saves the same (run, image, content) again changes
// nothing; a file whose content changed since replaces its row and gets new mask revisions.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import { compressProbMaps, decompressProbMaps, DEFAULT_PROB_MAP_CODEC, type ProbMapCodec } from '../probMapCodec.ts'
import { defectSummary } from '../defectSummary.ts'
import type { ClassStat, MaskRecord, PredictionRecord, ProbMaps } from '../records.ts'
import type { MaskWriter } from './masksRepo.ts'

export interface PredictionInput extends Pick<PredictionRecord, 'runId' | 'imageId' | 'imageSha256' | 'gateProbability' | 'gatePassed' | 'classStats'> {
  /** Null when stage 2 did not run. */
  readonly probMaps: ProbMaps | null
  /** Model masks at image size, one per class the model reports (an empty mask is ''). */
  readonly masks: readonly { readonly classId: number; readonly rle: string }[]
}

export type SaveOutcome = 'inserted' | 'unchanged' | 'replaced'

export interface SavedPrediction {
  readonly prediction: PredictionRecord
  readonly outcome: SaveOutcome
  /** The mask revisions written (none when unchanged). */
  readonly masks: readonly MaskRecord[]
}

export interface PredictionsRepo {
  save(input: PredictionInput): SavedPrediction
  get(runId: number, imageId: number): PredictionRecord | undefined
  listByRun(runId: number): PredictionRecord[]
  countByRun(runId: number): number
  /** The decompressed maps, or undefined when the prediction has none (gated out) or does not exist. */
  readProbMaps(predictionId: number): ProbMaps | undefined
}

interface PredictionRow {
  id: number
  run_id: number
  image_id: number
  image_sha256: string
  gate_probability: number | null
  gate_passed: 0 | 1
  class_stats_json: string
  prob_map_height: number | null
  prob_map_width: number | null
  prob_map_classes: number | null
  created_at_ms: number
}

interface MapsRow {
  prob_maps: Buffer | null
  prob_maps_codec: ProbMapCodec | null
  prob_map_height: number | null
  prob_map_width: number | null
  prob_map_classes: number | null
}

type RowValues = [string, number | null, number, string, Uint8Array | null, string | null, number | null, number | null, number | null, number, number, number]

const COLUMNS = `id, run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json,
  prob_map_height, prob_map_width, prob_map_classes, created_at_ms`

export function createPredictionsRepo(db: Database, now: Clock, masks: MaskWriter): PredictionsRepo {
  const byRunImage = db.prepare<[number, number], PredictionRow>(`SELECT ${COLUMNS} FROM predictions WHERE run_id = ? AND image_id = ?`)
  const byRun = db.prepare<[number], PredictionRow>(`SELECT ${COLUMNS} FROM predictions WHERE run_id = ? ORDER BY id`)
  const countRun = db.prepare<[number], number>('SELECT count(*) FROM predictions WHERE run_id = ?').pluck()
  const maps = db.prepare<[number], MapsRow>(
    'SELECT prob_maps, prob_maps_codec, prob_map_height, prob_map_width, prob_map_classes FROM predictions WHERE id = ?',
  )
  const insert = db.prepare<[number, number, ...RowValues], PredictionRow>(
    `INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json,
       prob_maps, prob_maps_codec, prob_map_height, prob_map_width, prob_map_classes, created_at_ms, defect_area_px, class_mask)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  )
  const replace = db.prepare<[...RowValues, number], PredictionRow>(
    `UPDATE predictions SET image_sha256 = ?, gate_probability = ?, gate_passed = ?, class_stats_json = ?,
       prob_maps = ?, prob_maps_codec = ?, prob_map_height = ?, prob_map_width = ?, prob_map_classes = ?, created_at_ms = ?,
       defect_area_px = ?, class_mask = ?
     WHERE id = ? RETURNING ${COLUMNS}`,
  )

  const save = db.transaction((input: PredictionInput): SavedPrediction => {
    const existing = byRunImage.get(input.runId, input.imageId)
    if (existing && existing.image_sha256 === input.imageSha256) return { prediction: toRecord(existing), outcome: 'unchanged', masks: [] }
    const values = rowValues(input, now())
    const row = existing ? replace.get(...values, existing.id) : insert.get(input.runId, input.imageId, ...values)
    const written = input.masks.map((mask) =>
      masks.append({ imageId: input.imageId, classId: mask.classId, rle: mask.rle, origin: 'model', runId: input.runId }),
    )
    return { prediction: toRecord(row!), outcome: existing ? 'replaced' : 'inserted', masks: written }
  })

  return {
    save: (input) => save(input),
    get: (runId, imageId) => {
      const row = byRunImage.get(runId, imageId)
      return row && toRecord(row)
    },
    listByRun: (runId) => byRun.all(runId).map(toRecord),
    countByRun: (runId) => countRun.get(runId)!,
    readProbMaps(predictionId) {
      const row = maps.get(predictionId)
      if (!row || row.prob_maps === null) return undefined
      const height = row.prob_map_height!
      const width = row.prob_map_width!
      const classCount = row.prob_map_classes!
      const mapsU8 = decompressProbMaps(row.prob_maps, row.prob_maps_codec!, height * width * classCount)
      return { height, width, classCount, mapsU8 }
    },
  }
}

function rowValues(input: PredictionInput, createdAtMs: number): RowValues {
  const maps = input.probMaps
  if (maps && maps.mapsU8.length !== maps.height * maps.width * maps.classCount) {
    throw new Error(
      `probability maps of image ${input.imageId}: ${maps.mapsU8.length} bytes, expected ${maps.classCount}×${maps.height}×${maps.width}`,
    )
  }
  const packed = maps && compressProbMaps(maps.mapsU8, DEFAULT_PROB_MAP_CODEC)
  const defects = defectSummary(input.classStats)
  return [
    input.imageSha256,
    input.gateProbability,
    input.gatePassed ? 1 : 0,
    canonicalJson(input.classStats),
    packed,
    packed && DEFAULT_PROB_MAP_CODEC,
    maps?.height ?? null,
    maps?.width ?? null,
    maps?.classCount ?? null,
    createdAtMs,
    defects.areaPx,
    defects.classMask,
  ]
}

function toRecord(row: PredictionRow): PredictionRecord {
  return {
    id: row.id,
    runId: row.run_id,
    imageId: row.image_id,
    imageSha256: row.image_sha256,
    gateProbability: row.gate_probability,
    gatePassed: row.gate_passed === 1,
    classStats: parseJson<ClassStat[]>(row.class_stats_json),
    probMapShape:
      row.prob_map_height === null
        ? null
        : { height: row.prob_map_height, width: row.prob_map_width!, classCount: row.prob_map_classes! },
    createdAtMs: row.created_at_ms,
  }
}
