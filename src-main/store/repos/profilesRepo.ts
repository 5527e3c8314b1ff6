// Threshold profiles as versioned records. Saving appends version n+1 of a name (or finds the
// latest version when its content is the same); nothing is rewritten. Which version applies to a
// run is an append-only log whose latest row is in force. Content is schema-checked on every read,
// so a hand-edited database fails with the profile named, not deep inside a threshold loop.
import type { Database } from 'better-sqlite3'
import { profileContentSchema, type ProfileContent } from '../../../src-shared/profileContent.ts'
import type { Clock } from '../clock.ts'
import { canonicalJson } from '../json.ts'

export interface ProfileVersionRecord {
  readonly id: number
  readonly name: string
  readonly version: number
  readonly content: ProfileContent
  readonly author: string
  readonly createdAtMs: number
}

export interface RunProfileChoice {
  readonly runId: number
  /** Null: the run's own settings. */
  readonly profile: ProfileVersionRecord | null
  readonly author: string
  readonly createdAtMs: number
}

export interface ProfilesRepo {
  /** Appends a version of `name`, or returns the latest one when its content is the same. */
  save(name: string, content: ProfileContent, author: string): ProfileVersionRecord
  get(id: number): ProfileVersionRecord | undefined
  /** The latest version of a name, or a given version. */
  find(name: string, version?: number): ProfileVersionRecord | undefined
  /** The latest version of every name, by name. */
  listLatest(): ProfileVersionRecord[]
  /** Every version of every name. */
  listAll(): ProfileVersionRecord[]
  /** Records which version applies to a run from now on (null: the run's own settings). */
  applyToRun(runId: number, profileId: number | null, author: string): void
  /** The choice in force for a run; undefined when none was ever made. */
  forRun(runId: number): RunProfileChoice | undefined
}

interface ProfileRow { id: number; name: string; version: number; content_json: string; author: string; created_at_ms: number }
interface ChoiceRow { run_id: number; profile_id: number | null; author: string; created_at_ms: number }

export function createProfilesRepo(db: Database, now: Clock): ProfilesRepo {
  const byId = db.prepare<[number], ProfileRow>('SELECT * FROM threshold_profiles WHERE id = ?')
  const latestOf = db.prepare<[string], ProfileRow>('SELECT * FROM threshold_profiles WHERE name = ? ORDER BY version DESC LIMIT 1')
  const versionOf = db.prepare<[string, number], ProfileRow>('SELECT * FROM threshold_profiles WHERE name = ? AND version = ?')
  const latestAll = db.prepare<[], ProfileRow>(
    `SELECT p.* FROM threshold_profiles p
     WHERE p.version = (SELECT max(version) FROM threshold_profiles q WHERE q.name = p.name) ORDER BY p.name`,
  )
  const all = db.prepare<[], ProfileRow>('SELECT * FROM threshold_profiles ORDER BY name, version')
  const insert = db.prepare<[string, number, string, string, number], ProfileRow>(
    'INSERT INTO threshold_profiles (name, version, content_json, author, created_at_ms) VALUES (?, ?, ?, ?, ?) RETURNING *',
  )
  const insertChoice = db.prepare<[number, number | null, string, number]>(
    'INSERT INTO run_profiles (run_id, profile_id, author, created_at_ms) VALUES (?, ?, ?, ?)',
  )
  const choiceOf = db.prepare<[number], ChoiceRow>('SELECT * FROM run_profiles WHERE run_id = ? ORDER BY id DESC LIMIT 1')
  const save = db.transaction((name: string, content: ProfileContent, author: string) => {
    const checked = profileContentSchema.parse(content)
    const latest = latestOf.get(name)
    const json = canonicalJson(checked)
    if (latest && canonicalJson(JSON.parse(latest.content_json)) === json) return toRecord(latest)
    return toRecord(insert.get(name, (latest?.version ?? 0) + 1, json, author, now())!)
  })

  return {
    save: (name, content, author) => save(name, content, author),
    get: (id) => optional(byId.get(id)),
    find: (name, version) => optional(version === undefined ? latestOf.get(name) : versionOf.get(name, version)),
    listLatest: () => latestAll.all().map(toRecord),
    listAll: () => all.all().map(toRecord),
    applyToRun(runId, profileId, author) {
      insertChoice.run(runId, profileId, author, now())
    },
    forRun(runId) {
      const row = choiceOf.get(runId)
      if (!row) return undefined
      return { runId, profile: row.profile_id === null ? null : toRecord(byId.get(row.profile_id)!), author: row.author, createdAtMs: row.created_at_ms }
    },
  }
}

function optional(row: ProfileRow | undefined): ProfileVersionRecord | undefined {
  return row && toRecord(row)
}

function toRecord(row: ProfileRow): ProfileVersionRecord {
  const parsed = profileContentSchema.safeParse(JSON.parse(row.content_json))
  if (!parsed.success) {
    const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'content'}: ${i.message}`).join('; ')
    throw new Error(`threshold profile "${row.name}" v${row.version} (id ${row.id}) is not a valid profile: ${problem}`)
  }
  return { id: row.id, name: row.name, version: row.version, content: parsed.data, author: row.author, createdAtMs: row.created_at_ms }
}
