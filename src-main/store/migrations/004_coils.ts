// Coils: how a source's images form coils (grouping and geometry per source), each coil's images in
// order with their position from the head, disposition rule sets (versioned, never rewritten) and
// the inspectors' decisions (append-only). Coil membership is derived from the grouping and may be
// recomputed; coil rows keep their ids so decisions stay attached. Depends only on schema 1.
import type { Database } from 'better-sqlite3'

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows cannot be updated'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows cannot be deleted'); END;`
const JSON_OBJECT = (column: string) => `json_valid(${column}) AND json_type(${column}) = 'object'`
const DISPOSITION = (column: string) => `${column} IN ('accept', 'downgrade', 'reject')`

export const SQL = `
CREATE TABLE coil_settings (
  source_id INTEGER PRIMARY KEY REFERENCES sources (id),
  grouping_json TEXT CHECK (grouping_json IS NULL OR (${JSON_OBJECT('grouping_json')})),
  geometry_json TEXT CHECK (geometry_json IS NULL OR (${JSON_OBJECT('geometry_json')})),
  updated_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE coils (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  name TEXT NOT NULL CHECK (name <> ''),
  length_mm REAL NOT NULL CHECK (length_mm >= 0),
  width_mm REAL NOT NULL CHECK (width_mm >= 0),
  updated_at_ms INTEGER NOT NULL,
  UNIQUE (source_id, name)
) STRICT;

-- seq is the image's place from the head (0, 1, …); an image belongs to at most one coil.
CREATE TABLE coil_images (
  coil_id INTEGER NOT NULL REFERENCES coils (id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  image_id INTEGER NOT NULL UNIQUE REFERENCES images (id),
  position_mm REAL NOT NULL CHECK (position_mm >= 0),
  PRIMARY KEY (coil_id, seq)
) STRICT;

CREATE TABLE rule_sets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  version INTEGER NOT NULL CHECK (version >= 1),
  rules_json TEXT NOT NULL CHECK (${JSON_OBJECT('rules_json')}),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (name, version)
) STRICT;
${appendOnly('rule_sets')}

-- A decision answers one proposal: a confirmation takes its outcome, an override says why.
CREATE TABLE coil_decisions (
  id INTEGER PRIMARY KEY,
  coil_id INTEGER NOT NULL REFERENCES coils (id),
  run_id INTEGER NOT NULL REFERENCES runs (id),
  rule_set_id INTEGER NOT NULL REFERENCES rule_sets (id),
  proposal_json TEXT NOT NULL CHECK (${JSON_OBJECT('proposal_json')}),
  proposed TEXT NOT NULL CHECK (${DISPOSITION('proposed')}),
  action TEXT NOT NULL CHECK (action IN ('confirm', 'override')),
  disposition TEXT NOT NULL CHECK (${DISPOSITION('disposition')}),
  note TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL CHECK (author <> ''),
  created_at_ms INTEGER NOT NULL,
  CHECK (action = 'override' OR disposition = proposed),
  CHECK (action = 'confirm' OR (disposition <> proposed AND note <> ''))
) STRICT;
CREATE INDEX coil_decisions_by_coil ON coil_decisions (coil_id, id);
${appendOnly('coil_decisions')}
`

export function up(db: Database): void {
  db.exec(SQL)
}
