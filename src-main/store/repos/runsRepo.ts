// Runs: the reproducibility record behind every prediction — which model set, which settings,
// which provider was asked for and which one actually ran (and why it fell back), and the versions
// of the app and onnxruntime.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import type { JsonObject, RunKind, RunRecord, RunStatus } from '../records.ts'

/** What decides a run's results; two runs of a source with equal settings are interchangeable. */
export interface RunSettings {
  /** A run inspects one source, so its times and results are that folder's own. */
  readonly sourceId: number
  readonly modelSetId: number
  readonly postprocess: JsonObject
  readonly gateThreshold: number | null
  readonly tta: readonly string[]
  /** Default 'gated'. */
  readonly kind?: RunKind
}

export interface RunInput extends RunSettings {
  readonly providerRequested: string
  readonly appVersion: string
  readonly status?: RunStatus
}

export interface ProviderOutcome {
  readonly providerUsed: string
  readonly fallbackReason: string | null
  readonly ortVersion: string
}

const FINISHED: ReadonlySet<RunStatus> = new Set(['done', 'failed', 'cancelled'])

export interface RunsRepo {
  create(input: RunInput): RunRecord
  get(id: number): RunRecord | undefined
  list(): RunRecord[]
  /** The source's newest run with exactly these settings (JSON compared canonically): the one to resume. */
  findLatestMatching(settings: RunSettings): RunRecord | undefined
  /** Recorded when the worker has opened its sessions (a CUDA fallback is recorded here). */
  recordProvider(id: number, outcome: ProviderOutcome): RunRecord
  /** Sets the status; done, failed and cancelled also stamp the finish time, others clear it. */
  setStatus(id: number, status: RunStatus): RunRecord
  /** How many results the run holds (kept by triggers: a lookup). */
  predictionCount(id: number): number
}

interface RunRow {
  id: number
  source_id: number | null
  model_set_id: number
  postprocess_json: string
  gate_threshold: number | null
  tta_json: string
  kind: RunKind
  provider_requested: string
  provider_used: string | null
  provider_fallback_reason: string | null
  app_version: string
  ort_version: string | null
  started_at_ms: number
  finished_at_ms: number | null
  status: RunStatus
}

type InsertParams = [number, number, string, number | null, string, RunKind, string, string, number, RunStatus]

export function createRunsRepo(db: Database, now: Clock): RunsRepo {
  const insert = db.prepare<InsertParams, RunRow>(
    `INSERT INTO runs (source_id, model_set_id, postprocess_json, gate_threshold, tta_json, kind, provider_requested, app_version, started_at_ms, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const byId = db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?')
  const all = db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY id')
  const matching = db.prepare<[number, number, string, number | null, string, RunKind], RunRow>(
    `SELECT * FROM runs WHERE source_id = ? AND model_set_id = ? AND postprocess_json = ? AND gate_threshold IS ? AND tta_json = ? AND kind = ?
     ORDER BY id DESC LIMIT 1`,
  )
  const setProvider = db.prepare<[string, string | null, string, number], RunRow>(
    'UPDATE runs SET provider_used = ?, provider_fallback_reason = ?, ort_version = ? WHERE id = ? RETURNING *',
  )
  const updateStatus = db.prepare<[RunStatus, number | null, number], RunRow>(
    'UPDATE runs SET status = ?, finished_at_ms = ? WHERE id = ? RETURNING *',
  )
  const predictions = db.prepare<[number], number>('SELECT coalesce((SELECT predictions FROM run_prediction_counts WHERE run_id = ?), 0)').pluck()

  return {
    create(input) {
      const row = insert.get(
        input.sourceId,
        input.modelSetId,
        canonicalJson(input.postprocess),
        input.gateThreshold,
        canonicalJson(input.tta),
        input.kind ?? 'gated',
        input.providerRequested,
        input.appVersion,
        now(),
        input.status ?? 'running',
      )
      return toRecord(row!)
    },
    get: (id) => {
      const row = byId.get(id)
      return row && toRecord(row)
    },
    list: () => all.all().map(toRecord),
    findLatestMatching(settings) {
      const row = matching.get(settings.sourceId, settings.modelSetId, canonicalJson(settings.postprocess), settings.gateThreshold, canonicalJson(settings.tta), settings.kind ?? 'gated')
      return row && toRecord(row)
    },
    recordProvider: (id, outcome) =>
      toRecord(required(setProvider.get(outcome.providerUsed, outcome.fallbackReason, outcome.ortVersion, id), id)),
    setStatus: (id, status) => toRecord(required(updateStatus.get(status, FINISHED.has(status) ? now() : null, id), id)),
    predictionCount: (id) => predictions.get(id)!,
  }
}

function required(row: RunRow | undefined, id: number): RunRow {
  if (!row) throw new Error(`no run with id ${id}`)
  return row
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    sourceId: row.source_id,
    modelSetId: row.model_set_id,
    postprocess: parseJson<JsonObject>(row.postprocess_json),
    gateThreshold: row.gate_threshold,
    tta: parseJson<string[]>(row.tta_json),
    kind: row.kind,
    providerRequested: row.provider_requested,
    providerUsed: row.provider_used,
    providerFallbackReason: row.provider_fallback_reason,
    appVersion: row.app_version,
    ortVersion: row.ort_version,
    startedAtMs: row.started_at_ms,
    finishedAtMs: row.finished_at_ms,
    status: row.status,
  }
}
