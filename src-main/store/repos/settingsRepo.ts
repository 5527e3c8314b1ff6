// App settings: one JSON value per key. Settings are preferences, not results, so they are
// overwritten in place.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../clock.ts'
import { parseJson } from '../json.ts'
import type { JsonValue } from '../records.ts'

export interface SettingsRepo {
  get(key: string): JsonValue | undefined
  set(key: string, value: JsonValue): void
  delete(key: string): boolean
  all(): Record<string, JsonValue>
  /** When the key was last set, or undefined when it is not set. */
  updatedAtMs(key: string): number | undefined
}

export function createSettingsRepo(db: Database, now: Clock): SettingsRepo {
  const select = db.prepare<[string], string>('SELECT value_json FROM settings WHERE key = ?').pluck()
  const upsert = db.prepare<[string, string, number]>(
    `INSERT INTO settings (key, value_json, updated_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms`,
  )
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?')
  const all = db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings ORDER BY key')
  const updatedAt = db.prepare<[string], number>('SELECT updated_at_ms FROM settings WHERE key = ?').pluck()

  return {
    get(key) {
      const text = select.get(key)
      return text === undefined ? undefined : parseJson<JsonValue>(text)
    },
    set(key, value) {
      const text = JSON.stringify(value)
      if (text === undefined) throw new Error(`setting ${key}: value is not JSON`)
      upsert.run(key, text, now())
    },
    delete: (key) => remove.run(key).changes === 1,
    all: () => Object.fromEntries(all.all().map((row) => [row.key, parseJson<JsonValue>(row.value_json)])),
    updatedAtMs: (key) => updatedAt.get(key),
  }
}
