// Which model set a source uses from now on, as decided after a comparison: an append-only log per
// source (who, when, why, and the comparison it answered); the latest row is in force.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { parseJson } from '../json.ts'
import type { JsonObject } from '../records.ts'

export interface SourceModelDecisionInput {
  readonly sourceId: number
  readonly modelSetId: number
  readonly runId: number
  readonly comparedRunId: number
  /** The profile version the chosen side used; null for its run's own settings. */
  readonly profileId: number | null
  /** The comparison as the decider saw it (labels and headline numbers). */
  readonly summary: JsonObject
  readonly note: string
  readonly author: string
}

export interface SourceModelDecisionRecord extends SourceModelDecisionInput {
  readonly id: number
  readonly createdAtMs: number
}

export interface SourceModelRepo {
  decide(input: SourceModelDecisionInput): SourceModelDecisionRecord
  /** Every decision for the source, oldest first. */
  history(sourceId: number): SourceModelDecisionRecord[]
}

interface Row {
  id: number; source_id: number; model_set_id: number; run_id: number; compared_run_id: number; profile_id: number | null
  summary_json: string; note: string; author: string; created_at_ms: number
}

export function createSourceModelRepo(db: Database, now: Clock): SourceModelRepo {
  const insert = db.prepare<[number, number, number, number, number | null, string, string, string, number], Row>(
    `INSERT INTO source_model_decisions (source_id, model_set_id, run_id, compared_run_id, profile_id, summary_json, note, author, created_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const bySource = db.prepare<[number], Row>('SELECT * FROM source_model_decisions WHERE source_id = ? ORDER BY id')
  return {
    decide: (i) => toRecord(insert.get(i.sourceId, i.modelSetId, i.runId, i.comparedRunId, i.profileId, JSON.stringify(i.summary), i.note, i.author, now())!),
    history: (sourceId) => bySource.all(sourceId).map(toRecord),
  }
}

function toRecord(row: Row): SourceModelDecisionRecord {
  return {
    id: row.id, sourceId: row.source_id, modelSetId: row.model_set_id, runId: row.run_id, comparedRunId: row.compared_run_id,
    profileId: row.profile_id, summary: parseJson<JsonObject>(row.summary_json), note: row.note, author: row.author, createdAtMs: row.created_at_ms,
  }
}
