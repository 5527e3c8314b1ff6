// Review's uncertainty order in generations: the margins of a run are computed into a generation
// of their own under one profile, and Review keeps reading the run's served (complete) generation
// until a newer one is complete, then switches in one transaction. A profile change thus never
// leaves Review without an order, and the margins can be computed by a second connection in short
// batches. The margins computed so far are dropped (they are derived data: recomputed in the
// background). Predictions gain an index by run and id, so the predictions still to measure after
// a generation's mark are read along it rather than by scanning every later run's rows.
import type { Database } from 'better-sqlite3'

const SCHEMA = `
DROP TRIGGER predictions_margin_stale;
DROP TABLE review_margins;
DROP TABLE review_margin_profiles;

-- A generation's margins are those of the run's predictions up to through_prediction_id under
-- profile_json. 'served' is what Review reads (at most one per run), 'building' the one being
-- computed under another profile (at most one), 'retired' one whose rows are being deleted.
CREATE TABLE review_margin_sets (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  generation INTEGER NOT NULL,
  profile_json TEXT NOT NULL CHECK (json_valid(profile_json)),
  through_prediction_id INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('building', 'served', 'retired')),
  PRIMARY KEY (run_id, generation)
) STRICT;
CREATE UNIQUE INDEX review_margin_sets_one_served ON review_margin_sets (run_id) WHERE state = 'served';
CREATE UNIQUE INDEX review_margin_sets_one_building ON review_margin_sets (run_id) WHERE state = 'building';

CREATE TABLE review_margins (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  generation INTEGER NOT NULL,
  image_id INTEGER NOT NULL REFERENCES images (id),
  margin REAL NOT NULL,
  PRIMARY KEY (run_id, generation, image_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX review_margins_by_margin ON review_margins (run_id, generation, margin, image_id);

CREATE INDEX predictions_by_run_id ON predictions (run_id, id);

-- A replaced prediction (the file changed) needs its margin again in every live generation.
CREATE TRIGGER predictions_margin_stale AFTER UPDATE OF gate_probability, class_stats_json ON predictions
BEGIN
  UPDATE review_margin_sets SET through_prediction_id = min(through_prediction_id, NEW.id - 1)
    WHERE run_id = NEW.run_id AND state <> 'retired';
END;`

/** It creates these and rebuilds nothing else (see Migration.checkTables). */
export const CHECK_TABLES = ['review_margin_sets', 'review_margins']

export function up(db: Database): void {
  db.exec(SCHEMA)
}
