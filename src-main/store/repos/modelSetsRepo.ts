// Model sets as they were when a run used them: manifest hash, member files with their hashes, and
// the class list. The same manifest with the same member hashes is the same model set.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { canonicalJson, parseJson } from '../json.ts'
import type { ModelSetClass, ModelSetMember, ModelSetRecord } from '../records.ts'

export interface ModelSetInput {
  readonly manifestId: string
  readonly version: string
  readonly manifestSha256: string
  readonly members: readonly ModelSetMember[]
  readonly classes: readonly ModelSetClass[]
}

export interface ModelSetsRepo {
  /** Registers a model set, or returns the one already registered with the same hashes. */
  ensure(input: ModelSetInput): ModelSetRecord
  get(id: number): ModelSetRecord | undefined
  list(): ModelSetRecord[]
}

interface ModelSetRow {
  id: number
  manifest_id: string
  version: string
  manifest_sha256: string
  members_json: string
  classes_json: string
  registered_at_ms: number
}

export function createModelSetsRepo(db: Database, now: Clock): ModelSetsRepo {
  const insert = db.prepare<[string, string, string, string, string, number], ModelSetRow>(
    `INSERT INTO model_sets (manifest_id, version, manifest_sha256, members_json, classes_json, registered_at_ms)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (manifest_sha256, members_json) DO NOTHING RETURNING *`,
  )
  const byHashes = db.prepare<[string, string], ModelSetRow>('SELECT * FROM model_sets WHERE manifest_sha256 = ? AND members_json = ?')
  const byId = db.prepare<[number], ModelSetRow>('SELECT * FROM model_sets WHERE id = ?')
  const all = db.prepare<[], ModelSetRow>('SELECT * FROM model_sets ORDER BY id')

  return {
    ensure(input) {
      const members = canonicalJson(input.members)
      const row =
        insert.get(input.manifestId, input.version, input.manifestSha256, members, canonicalJson(input.classes), now()) ??
        byHashes.get(input.manifestSha256, members)
      return toRecord(row!)
    },
    get: (id) => {
      const row = byId.get(id)
      return row && toRecord(row)
    },
    list: () => all.all().map(toRecord),
  }
}

function toRecord(row: ModelSetRow): ModelSetRecord {
  return {
    id: row.id,
    manifestId: row.manifest_id,
    version: row.version,
    manifestSha256: row.manifest_sha256,
    members: parseJson<ModelSetMember[]>(row.members_json),
    classes: parseJson<ModelSetClass[]>(row.classes_json),
    registeredAtMs: row.registered_at_ms,
  }
}
