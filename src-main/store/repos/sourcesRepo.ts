// Folders the user opened. A folder is registered once; opening it again returns the same source.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import type { SourceRecord } from '../records.ts'

export interface SourcesRepo {
  /** Registers a folder, or returns the source already registered for it. */
  ensure(folderPath: string): SourceRecord
  get(id: number): SourceRecord | undefined
  findByPath(folderPath: string): SourceRecord | undefined
  list(): SourceRecord[]
}

interface SourceRow {
  id: number
  folder_path: string
  added_at_ms: number
}

export function createSourcesRepo(db: Database, now: Clock): SourcesRepo {
  const insert = db.prepare<[string, number], SourceRow>(
    'INSERT INTO sources (folder_path, added_at_ms) VALUES (?, ?) ON CONFLICT (folder_path) DO NOTHING RETURNING *',
  )
  const byId = db.prepare<[number], SourceRow>('SELECT * FROM sources WHERE id = ?')
  const byPath = db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE folder_path = ?')
  const all = db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id')

  return {
    ensure(folderPath) {
      const row = insert.get(folderPath, now()) ?? byPath.get(folderPath)
      return toRecord(row!)
    },
    get: (id) => mapOptional(byId.get(id)),
    findByPath: (folderPath) => mapOptional(byPath.get(folderPath)),
    list: () => all.all().map(toRecord),
  }
}

function mapOptional(row: SourceRow | undefined): SourceRecord | undefined {
  return row && toRecord(row)
}

function toRecord(row: SourceRow): SourceRecord {
  return { id: row.id, folderPath: row.folder_path, addedAtMs: row.added_at_ms }
}
