// Jobs as rows: created when queued, updated as they progress, owned by one process at a time.
// A row names its owner (pid, host, a token per queue) and carries a heartbeat; a row whose owner
// is gone is marked interrupted by whoever opens the library next, and can then be claimed (once:
// the claim is a conditional UPDATE) and resumed.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import type { JsonObject } from '../records.ts'
import { JOB_ROW_STATES } from '../migrations/003_jobs.ts'

export type JobRowState = (typeof JOB_ROW_STATES)[number]
export type JobKind = 'folder' | 'watch'

export interface JobOwner {
  readonly pid: number
  readonly host: string
  readonly token: string
}

export interface JobRecord {
  readonly id: number
  readonly kind: JobKind
  readonly folderPath: string
  readonly settings: JsonObject
  readonly state: JobRowState
  readonly sourceId: number | null
  readonly runId: number | null
  readonly done: number
  readonly total: number
  readonly errors: number
  readonly message: string | null
  readonly owner: JobOwner | null
  readonly heartbeatAtMs: number | null
  readonly createdAtMs: number
  readonly updatedAtMs: number
  readonly finishedAtMs: number | null
}

export interface JobChange {
  readonly state?: JobRowState
  readonly sourceId?: number | null
  readonly runId?: number | null
  readonly progress?: { readonly done: number; readonly total: number; readonly errors: number }
  readonly message?: string | null
}

export const ACTIVE_JOB_STATES: readonly JobRowState[] = ['pending', 'running', 'paused']
const FINISHED = new Set<JobRowState>(['done', 'failed', 'cancelled'])

export interface JobsRepo {
  create(input: { kind: JobKind; folderPath: string; settings: JsonObject; owner: JobOwner }): JobRecord
  get(id: number): JobRecord | undefined
  /** The newest jobs first. */
  listRecent(limit: number): JobRecord[]
  /** Jobs some process holds (pending, running or paused). */
  listActive(): JobRecord[]
  update(id: number, change: JobChange): JobRecord
  /** Stamps the heartbeat of every active job this owner holds. */
  heartbeat(owner: JobOwner): void
  /**
   * Marks these jobs interrupted (their owners were judged gone from these very rows); a job whose
   * row moved since (a live owner's heartbeat) is left alone. Returns the ids it changed.
   */
  markInterrupted(judged: readonly JobRecord[], reason: string): number[]
  /** Takes an interrupted job for `owner`, as pending; undefined when someone else took it first. */
  claim(id: number, owner: JobOwner): JobRecord | undefined
}

interface JobRow {
  id: number
  kind: JobKind
  folder_path: string
  settings_json: string
  state: JobRowState
  source_id: number | null
  run_id: number | null
  done: number
  total: number
  errors: number
  message: string | null
  owner_pid: number | null
  owner_host: string | null
  owner_token: string | null
  heartbeat_at_ms: number | null
  created_at_ms: number
  updated_at_ms: number
  finished_at_ms: number | null
}

export function createJobsRepo(db: Database, now: Clock): JobsRepo {
  const insert = db.prepare<[string, string, string, number, string, string, number, number, number], JobRow>(
    `INSERT INTO jobs (kind, folder_path, settings_json, state, owner_pid, owner_host, owner_token, heartbeat_at_ms, created_at_ms, updated_at_ms)
     VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const byId = db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?')
  const recent = db.prepare<[number], JobRow>('SELECT * FROM jobs ORDER BY id DESC LIMIT ?')
  const active = db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE state IN ('pending', 'running', 'paused') ORDER BY id`)
  const beat = db.prepare<[number, number, string, string]>(
    `UPDATE jobs SET heartbeat_at_ms = ? WHERE owner_pid = ? AND owner_host = ? AND owner_token = ? AND state IN ('pending', 'running', 'paused')`,
  )
  const interrupt = db.prepare<[string, number, number, number | null], JobRow>(
    `UPDATE jobs SET state = 'interrupted', message = ?, updated_at_ms = ?, heartbeat_at_ms = NULL
     WHERE id = ? AND state IN ('pending', 'running', 'paused') AND heartbeat_at_ms IS ? RETURNING *`,
  )
  const take = db.prepare<[number, string, string, number, number, number], JobRow>(
    `UPDATE jobs SET state = 'pending', message = NULL, owner_pid = ?, owner_host = ?, owner_token = ?, heartbeat_at_ms = ?, updated_at_ms = ?
     WHERE id = ? AND state = 'interrupted' RETURNING *`,
  )

  const write = db.prepare<[JobRow]>(
    `UPDATE jobs SET state = @state, source_id = @source_id, run_id = @run_id, done = @done, total = @total, errors = @errors,
       message = @message, updated_at_ms = @updated_at_ms, heartbeat_at_ms = @heartbeat_at_ms, finished_at_ms = @finished_at_ms
     WHERE id = @id`,
  )
  const update = db.transaction((id: number, change: JobChange) => {
    const row = byId.get(id)
    if (!row) throw new Error(`no job with id ${id}`)
    const state = change.state ?? row.state
    const time = now()
    const next: JobRow = {
      ...row,
      state,
      source_id: change.sourceId === undefined ? row.source_id : change.sourceId,
      run_id: change.runId === undefined ? row.run_id : change.runId,
      done: change.progress?.done ?? row.done,
      total: change.progress?.total ?? row.total,
      errors: change.progress?.errors ?? row.errors,
      message: change.message === undefined ? row.message : change.message,
      updated_at_ms: time,
      heartbeat_at_ms: FINISHED.has(state) ? null : time,
      finished_at_ms: FINISHED.has(state) ? (row.finished_at_ms ?? time) : null,
    }
    write.run(next)
    return next
  })

  return {
    create({ kind, folderPath, settings, owner }) {
      const time = now()
      return toRecord(insert.get(kind, folderPath, canonicalJson(settings), owner.pid, owner.host, owner.token, time, time, time)!)
    },
    get: (id) => {
      const row = byId.get(id)
      return row && toRecord(row)
    },
    listRecent: (limit) => recent.all(limit).map(toRecord),
    listActive: () => active.all().map(toRecord),
    update: (id, change) => toRecord(update(id, change)),
    heartbeat: (owner) => void beat.run(now(), owner.pid, owner.host, owner.token),
    markInterrupted: (judged, reason) =>
      db.transaction(() => judged.flatMap((job) => (interrupt.get(reason, now(), job.id, job.heartbeatAtMs) ? [job.id] : [])))(),
    claim(id, owner) {
      const time = now()
      const row = take.get(owner.pid, owner.host, owner.token, time, time, id)
      return row && toRecord(row)
    },
  }
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    folderPath: row.folder_path,
    settings: parseJson<JsonObject>(row.settings_json),
    state: row.state,
    sourceId: row.source_id,
    runId: row.run_id,
    done: row.done,
    total: row.total,
    errors: row.errors,
    message: row.message,
    owner: row.owner_pid === null || row.owner_host === null || row.owner_token === null ? null : { pid: row.owner_pid, host: row.owner_host, token: row.owner_token },
    heartbeatAtMs: row.heartbeat_at_ms,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
    finishedAtMs: row.finished_at_ms,
  }
}
