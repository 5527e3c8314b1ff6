// Schema version 9: each coil's last evaluated line of the coil listing, with the fingerprint of
// everything it was evaluated from. A host that starts (serve, the app) lists an unchanged library
// from these rows instead of evaluating every coil again; a coil whose fingerprint moved is
// evaluated and its row replaced. Derived data: a row goes with its coil (regrouped away, deleted),
// so it can never be served for another coil. Depends on 4.
import type { Database } from 'better-sqlite3'

const TABLE = `
CREATE TABLE coil_lines (
  coil_id INTEGER PRIMARY KEY REFERENCES coils (id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  line_json TEXT NOT NULL CHECK (json_valid(line_json))
) STRICT;`

/** It creates this and rebuilds nothing else (see Migration.checkTables). */
export const CHECK_TABLES = ['coil_lines']

export function up(db: Database): void {
  db.exec(TABLE)
}
