// Watched sources: which sources are watched with which job settings, when each file arrived, and
// the counts the Library's watch panel is drawn from (backlog, arrivals and inspections in a window).
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import type { JsonObject } from '../records.ts'

export interface WatchedSource {
  readonly sourceId: number
  readonly settings: JsonObject
  readonly sinceMs: number
}

export interface WatchCounts {
  /** Images waiting for a result of the run (not failed, not skipped). */
  readonly backlog: number
  /** Arrivals of files that are images (a file that failed is not work waiting). */
  readonly arrivedInWindow: number
  readonly inspectedInWindow: number
  readonly lastArrivalMs: number | null
  readonly lastResultMs: number | null
}

export interface WatchRepo {
  setWatched(sourceId: number, settings: JsonObject | null): void
  getWatched(sourceId: number): WatchedSource | undefined
  listWatched(): WatchedSource[]
  recordArrival(sourceId: number, imageId: number, arrivedAtMs?: number): void
  /** Counts for a source under a run (null: no run yet, everything is backlog) since `sinceMs`. */
  counts(sourceId: number, runId: number | null, sinceMs: number): WatchCounts
}

interface WatchedRow {
  source_id: number
  settings_json: string
  since_ms: number
}

export function createWatchRepo(db: Database, now: Clock): WatchRepo {
  const upsert = db.prepare<[number, string, number]>(
    `INSERT INTO watched_sources (source_id, settings_json, since_ms) VALUES (?, ?, ?)
     ON CONFLICT (source_id) DO UPDATE SET settings_json = excluded.settings_json`,
  )
  const remove = db.prepare<[number]>('DELETE FROM watched_sources WHERE source_id = ?')
  const one = db.prepare<[number], WatchedRow>('SELECT * FROM watched_sources WHERE source_id = ?')
  const all = db.prepare<[], WatchedRow>('SELECT * FROM watched_sources ORDER BY source_id')
  const arrive = db.prepare<[number, number, number]>('INSERT INTO arrivals (image_id, source_id, arrived_at_ms) VALUES (?, ?, ?)')
  const backlog = db.prepare<[number, number], { n: number }>(
    `SELECT count(*) AS n FROM images i
     WHERE i.source_id = ? AND i.status NOT IN ('skipped', 'failed')
       AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.run_id = ? AND p.image_id = i.id AND p.image_sha256 = i.sha256)`,
  )
  const arrivals = db.prepare<[number, number], { n: number; last: number | null }>(
    `SELECT sum(a.arrived_at_ms >= ? AND i.status <> 'failed') AS n, max(a.arrived_at_ms) AS last
     FROM arrivals a JOIN images i ON i.id = a.image_id WHERE a.source_id = ?`,
  )
  const results = db.prepare<[number, number, number], { n: number; last: number | null }>(
    `SELECT sum(p.created_at_ms >= ?) AS n, max(p.created_at_ms) AS last FROM predictions p
     JOIN images i ON i.id = p.image_id WHERE p.run_id = ? AND i.source_id = ?`,
  )

  return {
    setWatched(sourceId, settings) {
      if (settings) upsert.run(sourceId, canonicalJson(settings), now())
      else remove.run(sourceId)
    },
    getWatched: (sourceId) => {
      const row = one.get(sourceId)
      return row && toRecord(row)
    },
    listWatched: () => all.all().map(toRecord),
    recordArrival: (sourceId, imageId, arrivedAtMs) => void arrive.run(imageId, sourceId, arrivedAtMs ?? now()),
    counts(sourceId, runId, sinceMs) {
      const arrived = arrivals.get(sinceMs, sourceId)!
      const inspected = runId === null ? { n: 0, last: null } : results.get(sinceMs, runId, sourceId)!
      return {
        backlog: backlog.get(sourceId, runId ?? -1)!.n,
        arrivedInWindow: arrived.n ?? 0,
        inspectedInWindow: inspected.n ?? 0,
        lastArrivalMs: arrived.last,
        lastResultMs: inspected.last,
      }
    },
  }
}

function toRecord(row: WatchedRow): WatchedSource {
  return { sourceId: row.source_id, settings: parseJson<JsonObject>(row.settings_json), sinceMs: row.since_ms }
}
