// Schema version 1: every table of docs/store.md. All tables are STRICT; enums are CHECKs; the rows
// that record human work (edits, reviews, human masks) refuse UPDATE and DELETE in the database
// itself, so no code path can rewrite history. Times are Unix milliseconds (`*_at_ms`).
import type { Database } from 'better-sqlite3'

const SHA256 = (column: string) => `length(${column}) = 64 AND ${column} NOT GLOB '*[^0-9a-f]*'`
const JSON_ARRAY = (column: string) => `json_valid(${column}) AND json_type(${column}) = 'array'`
const JSON_OBJECT = (column: string) => `json_valid(${column}) AND json_type(${column}) = 'object'`
const appendOnly = (table: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows cannot be updated'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows cannot be deleted'); END;`

export const SQL = `
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  folder_path TEXT NOT NULL UNIQUE,
  added_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  relative_path TEXT NOT NULL,
  byte_size INTEGER NOT NULL CHECK (byte_size >= 0),
  mtime_ms INTEGER NOT NULL,
  sha256 TEXT CHECK (sha256 IS NULL OR (${SHA256('sha256')})),
  width INTEGER CHECK (width IS NULL OR width > 0),
  height INTEGER CHECK (height IS NULL OR height > 0),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'skipped')),
  error TEXT,
  warning TEXT,
  UNIQUE (source_id, relative_path)
) STRICT;
CREATE INDEX images_by_sha256 ON images (sha256);

CREATE TABLE model_sets (
  id INTEGER PRIMARY KEY,
  manifest_id TEXT NOT NULL,
  version TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL CHECK (${SHA256('manifest_sha256')}),
  members_json TEXT NOT NULL CHECK (${JSON_ARRAY('members_json')}),
  classes_json TEXT NOT NULL CHECK (${JSON_ARRAY('classes_json')}),
  registered_at_ms INTEGER NOT NULL,
  UNIQUE (manifest_sha256, members_json)
) STRICT;

-- Provider names are not CHECKed: the set grows with onnxruntime (cuda, cpu, later dml, coreml).
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  model_set_id INTEGER NOT NULL REFERENCES model_sets (id),
  postprocess_json TEXT NOT NULL CHECK (${JSON_OBJECT('postprocess_json')}),
  gate_threshold REAL CHECK (gate_threshold IS NULL OR gate_threshold BETWEEN 0 AND 1),
  tta_json TEXT NOT NULL CHECK (${JSON_ARRAY('tta_json')}),
  provider_requested TEXT NOT NULL,
  provider_used TEXT,
  provider_fallback_reason TEXT,
  app_version TEXT NOT NULL,
  ort_version TEXT,
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER,
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('pending', 'running', 'paused', 'done', 'failed', 'cancelled'))
) STRICT;
CREATE INDEX runs_by_settings ON runs (model_set_id, postprocess_json, tta_json);

-- One row per (run, image): a resumed job finds its row instead of adding a second one.
CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  image_id INTEGER NOT NULL REFERENCES images (id),
  image_sha256 TEXT NOT NULL CHECK (${SHA256('image_sha256')}),
  gate_probability REAL CHECK (gate_probability IS NULL OR gate_probability BETWEEN 0 AND 1),
  gate_passed INTEGER NOT NULL CHECK (gate_passed IN (0, 1)),
  class_stats_json TEXT NOT NULL CHECK (${JSON_ARRAY('class_stats_json')}),
  prob_maps BLOB,
  prob_maps_codec TEXT CHECK (prob_maps_codec IN ('zstd', 'deflate-raw')),
  prob_map_height INTEGER CHECK (prob_map_height > 0),
  prob_map_width INTEGER CHECK (prob_map_width > 0),
  prob_map_classes INTEGER CHECK (prob_map_classes > 0),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (run_id, image_id),
  CHECK ((prob_maps IS NULL) = (prob_maps_codec IS NULL)
     AND (prob_maps IS NULL) = (prob_map_height IS NULL)
     AND (prob_maps IS NULL) = (prob_map_width IS NULL)
     AND (prob_maps IS NULL) = (prob_map_classes IS NULL))
) STRICT;
CREATE INDEX predictions_by_image ON predictions (image_id);

-- A mask is never changed in place: a correction is a new revision (1, 2, … per image and class).
CREATE TABLE masks (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id),
  run_id INTEGER REFERENCES runs (id),
  class_id INTEGER NOT NULL CHECK (class_id >= 1),
  rle TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('model', 'human')),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  created_at_ms INTEGER NOT NULL,
  UNIQUE (image_id, class_id, revision),
  CHECK (origin = 'human' OR run_id IS NOT NULL)
) STRICT;
CREATE INDEX masks_by_run ON masks (run_id, image_id);
CREATE TRIGGER masks_no_update BEFORE UPDATE ON masks
BEGIN SELECT RAISE(ABORT, 'masks are append-only: add a revision instead'); END;
CREATE TRIGGER masks_keep_human BEFORE DELETE ON masks WHEN OLD.origin = 'human'
BEGIN SELECT RAISE(ABORT, 'human masks cannot be deleted'); END;

-- Tools are not CHECKed: the set grows with the editor.
CREATE TABLE edits (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id),
  class_id INTEGER NOT NULL CHECK (class_id >= 1),
  before_rle TEXT NOT NULL,
  after_rle TEXT NOT NULL,
  mask_id INTEGER NOT NULL UNIQUE REFERENCES masks (id),
  tool TEXT NOT NULL CHECK (tool <> ''),
  author TEXT NOT NULL CHECK (author <> ''),
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX edits_by_image ON edits (image_id, class_id);
${appendOnly('edits')}

-- The latest row (highest id) per image is its current review; no row means unreviewed.
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id),
  status TEXT NOT NULL CHECK (status IN ('unreviewed', 'accepted', 'rejected', 'flagged')),
  author TEXT NOT NULL CHECK (author <> ''),
  note TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX reviews_by_image ON reviews (image_id, id);
${appendOnly('reviews')}

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL CHECK (json_valid(value_json)),
  updated_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`

export function up(db: Database): void {
  db.exec(SQL)
}
