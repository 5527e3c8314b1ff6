// Each coil's last evaluated listing line and the fingerprint it was evaluated at (migration 009).
// The store keeps the line as JSON and knows nothing of its shape: the coil cache decides what a
// fingerprint covers and when a line still holds.
import type { Database } from 'better-sqlite3'

export interface StoredCoilLine {
  readonly fingerprint: string
  readonly lineJson: string
}

export interface CoilLinesRepo {
  /** The stored lines of the source's coils, by coil id. */
  forSource(sourceId: number): Map<number, StoredCoilLine>
  /** Replaces the coils' stored lines. */
  save(lines: ReadonlyMap<number, StoredCoilLine>): void
}

export function createCoilLinesRepo(db: Database): CoilLinesRepo {
  const ofSource = db.prepare<[number], { coil_id: number; fingerprint: string; line_json: string }>(
    'SELECT l.coil_id, l.fingerprint, l.line_json FROM coil_lines l JOIN coils c ON c.id = l.coil_id WHERE c.source_id = ?',
  )
  const put = db.prepare<[number, string, string]>(
    `INSERT INTO coil_lines (coil_id, fingerprint, line_json) VALUES (?, ?, ?)
     ON CONFLICT (coil_id) DO UPDATE SET fingerprint = excluded.fingerprint, line_json = excluded.line_json`,
  )
  const save = db.transaction((lines: ReadonlyMap<number, StoredCoilLine>) => {
    for (const [coilId, { fingerprint, lineJson }] of lines) put.run(coilId, fingerprint, lineJson)
  })
  return {
    forSource: (sourceId) => new Map(ofSource.all(sourceId).map((r) => [r.coil_id, { fingerprint: r.fingerprint, lineJson: r.line_json }])),
    save: (lines) => save(lines),
  }
}
