// Schema version 2: the library at line scale. Every question the UI asks per interaction gets a
// constant-time or indexed answer: a run belongs to one source (a run shared by two folders is
// split, so each folder's run times are its own); the latest run and the status counts of each
// source are kept as rows maintained by triggers; predictions carry their defect area and a bit
// set of their defective classes, with covering indexes for the Library's sorts and filters (the
// columns sit after the probability maps, so only an index reads them without the maps' pages);
// Review's uncertainty order is kept in a narrow table of its own.
import type { Database } from 'better-sqlite3'

/** The Library's status order (the image table's sort must use the same expression). */
const STATUS_RANK = "(CASE status WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 WHEN 'done' THEN 2 ELSE 3 END)"

const COLUMNS = `
ALTER TABLE runs ADD COLUMN source_id INTEGER REFERENCES sources (id);
ALTER TABLE predictions ADD COLUMN defect_area_px INTEGER NOT NULL DEFAULT 0;
-- Bit (class_id - 1) is set when that class has a non-empty mask.
ALTER TABLE predictions ADD COLUMN class_mask INTEGER NOT NULL DEFAULT 0;`

const TABLES = `
CREATE INDEX runs_by_source ON runs (source_id, model_set_id);

-- The run the Library shows for a source: that of its newest prediction, where a run with the
-- gate at 0 (stage 2 forced for single images) counts only when the source has no other.
CREATE TABLE source_latest_runs (
  source_id INTEGER PRIMARY KEY REFERENCES sources (id),
  run_id INTEGER NOT NULL REFERENCES runs (id),
  prediction_id INTEGER NOT NULL,
  is_forced INTEGER NOT NULL CHECK (is_forced IN (0, 1))
) STRICT;

CREATE TABLE source_status_counts (
  source_id INTEGER NOT NULL REFERENCES sources (id),
  status TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (source_id, status)
) STRICT, WITHOUT ROWID;

-- Review's uncertainty per (run, image) under the profile recorded in review_margin_profiles,
-- computed for predictions up to through_prediction_id.
CREATE TABLE review_margins (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  image_id INTEGER NOT NULL REFERENCES images (id),
  margin REAL NOT NULL,
  PRIMARY KEY (run_id, image_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX review_margins_by_margin ON review_margins (run_id, margin, image_id);
CREATE TABLE review_margin_profiles (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id),
  profile_json TEXT NOT NULL CHECK (json_valid(profile_json)),
  through_prediction_id INTEGER NOT NULL
) STRICT;

-- The name order with the status and error filters read from the index alone.
CREATE INDEX images_by_path ON images (source_id, relative_path, status, error);
CREATE INDEX images_by_status_rank ON images (source_id, ${STATUS_RANK}, relative_path);
CREATE INDEX images_with_error ON images (source_id, relative_path) WHERE error IS NOT NULL;
CREATE INDEX predictions_by_gate ON predictions (run_id, gate_probability, image_id, class_mask, defect_area_px);
CREATE INDEX predictions_by_area ON predictions (run_id, defect_area_px, image_id, class_mask, gate_probability);
CREATE INDEX predictions_by_run_image ON predictions (run_id, image_id, gate_probability, class_mask, defect_area_px);
CREATE INDEX predictions_defective ON predictions (run_id, class_mask) WHERE class_mask <> 0;
`

const TRIGGERS = `
CREATE TRIGGER predictions_latest_run AFTER INSERT ON predictions
BEGIN
  INSERT INTO source_latest_runs (source_id, run_id, prediction_id, is_forced)
    SELECT i.source_id, NEW.run_id, NEW.id, coalesce((SELECT gate_threshold IS 0 FROM runs WHERE id = NEW.run_id), 0)
    FROM images i WHERE i.id = NEW.image_id
  ON CONFLICT (source_id) DO UPDATE SET run_id = excluded.run_id, prediction_id = excluded.prediction_id, is_forced = excluded.is_forced
    WHERE excluded.prediction_id > source_latest_runs.prediction_id AND (excluded.is_forced = 0 OR source_latest_runs.is_forced = 1);
END;

-- A replaced prediction (the file changed) needs its margin again.
CREATE TRIGGER predictions_margin_stale AFTER UPDATE OF gate_probability, class_stats_json ON predictions
BEGIN
  UPDATE review_margin_profiles SET through_prediction_id = min(through_prediction_id, NEW.id - 1) WHERE run_id = NEW.run_id;
END;

CREATE TRIGGER images_count_insert AFTER INSERT ON images
BEGIN
  INSERT INTO source_status_counts (source_id, status, count) VALUES (NEW.source_id, NEW.status, 1)
  ON CONFLICT (source_id, status) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER images_count_update AFTER UPDATE OF status, source_id ON images
  WHEN OLD.status IS NOT NEW.status OR OLD.source_id IS NOT NEW.source_id
BEGIN
  UPDATE source_status_counts SET count = count - 1 WHERE source_id = OLD.source_id AND status = OLD.status;
  INSERT INTO source_status_counts (source_id, status, count) VALUES (NEW.source_id, NEW.status, 1)
  ON CONFLICT (source_id, status) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER images_count_delete AFTER DELETE ON images
BEGIN
  UPDATE source_status_counts SET count = count - 1 WHERE source_id = OLD.source_id AND status = OLD.status;
END;
`

const BACKFILL = `
UPDATE predictions SET
  defect_area_px = coalesce((SELECT CAST(sum(c.value ->> '$.areaImagePx') AS INTEGER) FROM json_each(class_stats_json) c), 0),
  class_mask = coalesce((SELECT sum(DISTINCT 1 << ((c.value ->> '$.classId') - 1)) FROM json_each(class_stats_json) c
                         WHERE c.value ->> '$.areaImagePx' > 0), 0);

INSERT INTO source_status_counts (source_id, status, count)
  SELECT source_id, status, count(*) FROM images GROUP BY source_id, status;

INSERT INTO source_latest_runs (source_id, run_id, prediction_id, is_forced)
  SELECT source_id, run_id, prediction_id, is_forced FROM (
    SELECT i.source_id, p.run_id, p.id AS prediction_id, r.gate_threshold IS 0 AS is_forced,
           row_number() OVER (PARTITION BY i.source_id ORDER BY r.gate_threshold IS 0, p.id DESC) AS rank
    FROM predictions p JOIN images i ON i.id = p.image_id JOIN runs r ON r.id = p.run_id)
  WHERE rank = 1;
`

export function up(db: Database): void {
  db.exec(COLUMNS)
  splitSharedRuns(db)
  db.exec(TABLES)
  db.exec(BACKFILL)
  db.exec(TRIGGERS)
}

interface RunPart {
  run_id: number
  source_id: number
  first_ms: number
  last_ms: number
}

/**
 * Gives every run its source. A run that inspected several folders (version 1 reused a run for
 * equal settings across folders) becomes one run per folder: the folder inspected first keeps the
 * id, the others get copies, and each part's times span its own predictions.
 */
function splitSharedRuns(db: Database): void {
  const parts = db
    .prepare(
      `SELECT p.run_id, i.source_id, min(p.created_at_ms) AS first_ms, max(p.created_at_ms) AS last_ms
       FROM predictions p JOIN images i ON i.id = p.image_id
       GROUP BY p.run_id, i.source_id ORDER BY p.run_id, min(p.id)`,
    )
    .all() as RunPart[]
  const byRun = new Map<number, RunPart[]>()
  for (const part of parts) byRun.set(part.run_id, [...(byRun.get(part.run_id) ?? []), part])
  const setSource = db.prepare('UPDATE runs SET source_id = ? WHERE id = ?')
  const setTimes = db.prepare('UPDATE runs SET started_at_ms = ?, finished_at_ms = CASE WHEN finished_at_ms IS NULL THEN NULL ELSE ? END WHERE id = ?')
  const copy = db.prepare(
    `INSERT INTO runs (model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, provider_used,
       provider_fallback_reason, app_version, ort_version, started_at_ms, finished_at_ms, status, source_id)
     SELECT model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, provider_used,
       provider_fallback_reason, app_version, ort_version, started_at_ms, finished_at_ms, status, ? FROM runs WHERE id = ?`,
  )
  const movePredictions = db.prepare('UPDATE predictions SET run_id = ? WHERE run_id = ? AND image_id IN (SELECT id FROM images WHERE source_id = ?)')
  const moveMasks = db.prepare('UPDATE masks SET run_id = ? WHERE run_id = ? AND image_id IN (SELECT id FROM images WHERE source_id = ?)')
  const copyProfile = db.prepare(
    "INSERT INTO settings (key, value_json, updated_at_ms) SELECT ?, value_json, updated_at_ms FROM settings WHERE key = ?",
  )
  // Model masks are append-only; re-pointing them at the split run is the one rewrite allowed.
  db.exec('DROP TRIGGER masks_no_update')
  for (const [runId, runParts] of byRun) {
    setSource.run(runParts[0].source_id, runId)
    if (runParts.length === 1) continue
    for (const [k, part] of runParts.entries()) {
      const partRunId = k === 0 ? runId : Number(copy.run(part.source_id, runId).lastInsertRowid)
      setTimes.run(part.first_ms, part.last_ms, partRunId)
      if (k === 0) continue
      movePredictions.run(partRunId, runId, part.source_id)
      moveMasks.run(partRunId, runId, part.source_id)
      copyProfile.run(`runProfile:${partRunId}`, `runProfile:${runId}`)
    }
  }
  db.exec(`CREATE TRIGGER masks_no_update BEFORE UPDATE ON masks
BEGIN SELECT RAISE(ABORT, 'masks are append-only: add a revision instead'); END;`)
}
