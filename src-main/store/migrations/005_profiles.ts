// Threshold profiles become versioned records: saving a profile appends a version, never rewrites
// one, and which version applies to a run is an append-only log (the latest row is in force; a row
// without a profile returns the run to its own settings). Runs get a kind: a forced stage-2 run is
// 'forced' in the schema instead of a run that happens to have gate_threshold = 0. Today's settings
// (`thresholdProfiles`, `runProfile:<run>`) are carried over and their keys removed; a value that
// cannot be carried stays where it was. A source's model-set decisions ("B becomes this source's
// model set", after a comparison) are an append-only log too.
import type { Database } from 'better-sqlite3'

const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows cannot be updated'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows cannot be deleted'); END;`

export const SQL = `
CREATE TABLE threshold_profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  version INTEGER NOT NULL CHECK (version >= 1),
  content_json TEXT NOT NULL CHECK (json_valid(content_json) AND json_type(content_json) = 'object'),
  author TEXT NOT NULL CHECK (author <> ''),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (name, version)
) STRICT;
${appendOnly('threshold_profiles')}

CREATE TABLE run_profiles (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  profile_id INTEGER REFERENCES threshold_profiles (id),
  author TEXT NOT NULL CHECK (author <> ''),
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX run_profiles_by_run ON run_profiles (run_id, id);
${appendOnly('run_profiles')}

-- The comparison a decision answered: the run it chose (B) and the run it was compared with (A).
CREATE TABLE source_model_decisions (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  model_set_id INTEGER NOT NULL REFERENCES model_sets (id),
  run_id INTEGER NOT NULL REFERENCES runs (id),
  compared_run_id INTEGER NOT NULL REFERENCES runs (id),
  profile_id INTEGER REFERENCES threshold_profiles (id),
  summary_json TEXT NOT NULL CHECK (json_valid(summary_json) AND json_type(summary_json) = 'object'),
  note TEXT NOT NULL CHECK (note <> ''),
  author TEXT NOT NULL CHECK (author <> ''),
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX source_model_decisions_by_source ON source_model_decisions (source_id, id);
${appendOnly('source_model_decisions')}

ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'gated' CHECK (kind IN ('gated', 'forced'));
UPDATE runs SET kind = 'forced' WHERE gate_threshold = 0;

DROP TRIGGER predictions_latest_run;
CREATE TRIGGER predictions_latest_run AFTER INSERT ON predictions
BEGIN
  INSERT INTO source_latest_runs (source_id, run_id, prediction_id, is_forced)
    SELECT i.source_id, NEW.run_id, NEW.id, coalesce((SELECT kind = 'forced' FROM runs WHERE id = NEW.run_id), 0)
    FROM images i WHERE i.id = NEW.image_id
  ON CONFLICT (source_id) DO UPDATE SET run_id = excluded.run_id, prediction_id = excluded.prediction_id, is_forced = excluded.is_forced
    WHERE excluded.prediction_id > source_latest_runs.prediction_id AND (excluded.is_forced = 0 OR source_latest_runs.is_forced = 1);
END;
`

/** Who is named as the author of a profile carried over from the settings. */
export const CARRIED_AUTHOR = 'carried over from settings'

interface SettingRow { key: string; value_json: string; updated_at_ms: number }

export function up(db: Database): void {
  db.exec(SQL)
  carryProfiles(db)
}

function carryProfiles(db: Database): void {
  const saved = db.prepare<[], SettingRow>("SELECT * FROM settings WHERE key = 'thresholdProfiles'").get()
  const insert = db.prepare<[string, string, string, number], { id: number }>(
    'INSERT INTO threshold_profiles (name, version, content_json, author, created_at_ms) VALUES (?, 1, ?, ?, ?) RETURNING id',
  )
  const removeKey = db.prepare<[string]>('DELETE FROM settings WHERE key = ?')
  const idByName = new Map<string, number>()
  if (saved) {
    const list = JSON.parse(saved.value_json) as unknown
    const carried = Array.isArray(list) ? list.filter(isStoredProfile) : []
    for (const p of carried) {
      if (idByName.has(p.name)) continue
      const content = JSON.stringify({ gate: p.gate, upper: p.upper, lower: p.lower, minAreaModelPx: p.minAreaModelPx })
      idByName.set(p.name, insert.get(p.name, content, CARRIED_AUTHOR, saved.updated_at_ms)!.id)
    }
    if (Array.isArray(list) && carried.length === list.length) removeKey.run(saved.key)
  }
  const applied = db.prepare<[], SettingRow>("SELECT * FROM settings WHERE key LIKE 'runProfile:%' ORDER BY key").all()
  const runExists = db.prepare<[number], number>('SELECT 1 FROM runs WHERE id = ?').pluck()
  const apply = db.prepare<[number, number, string, number]>('INSERT INTO run_profiles (run_id, profile_id, author, created_at_ms) VALUES (?, ?, ?, ?)')
  for (const row of applied) {
    const runId = Number(row.key.slice('runProfile:'.length))
    const profileId = idByName.get(JSON.parse(row.value_json) as string)
    if (!Number.isInteger(runId) || profileId === undefined || !runExists.get(runId)) continue
    apply.run(runId, profileId, CARRIED_AUTHOR, row.updated_at_ms)
    removeKey.run(row.key)
  }
}

interface StoredProfile { name: string; gate: number | null; upper: number[]; lower: number[]; minAreaModelPx: number[] }

/** The shape the settings held; anything else stays in the settings untouched. */
function isStoredProfile(value: unknown): value is StoredProfile {
  const p = value as StoredProfile
  const numbers = (a: unknown) => Array.isArray(a) && a.length > 0 && a.every((v) => typeof v === 'number')
  return (
    typeof p === 'object' && p !== null && typeof p.name === 'string' && p.name !== '' &&
    (p.gate === null || typeof p.gate === 'number') && numbers(p.upper) && numbers(p.lower) && numbers(p.minAreaModelPx)
  )
}
