// Schema version 7: how many predictions each run holds, and how many of them have a gate
// probability, kept as a row by triggers. The Library's sorts by gate probability and by defect
// area list the images with a value first; a page near the end of such a list needs that
// segment's size, which is then a lookup instead of a count over the whole run. Depends on 1 and 2.
import type { Database } from 'better-sqlite3'

const TABLE = `
CREATE TABLE run_prediction_counts (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id),
  predictions INTEGER NOT NULL CHECK (predictions >= 0),
  with_gate INTEGER NOT NULL CHECK (with_gate BETWEEN 0 AND predictions)
) STRICT;`

const BACKFILL = `
INSERT INTO run_prediction_counts (run_id, predictions, with_gate)
  SELECT run_id, count(*), count(gate_probability) FROM predictions GROUP BY run_id;`

const add = `
  INSERT INTO run_prediction_counts (run_id, predictions, with_gate) VALUES (NEW.run_id, 1, NEW.gate_probability IS NOT NULL)
  ON CONFLICT (run_id) DO UPDATE SET predictions = predictions + 1, with_gate = with_gate + excluded.with_gate;`
// A CHECK holds for the row an upsert would insert too, so taking away is an update (the row exists).
const takeAway = `
  UPDATE run_prediction_counts SET predictions = predictions - 1, with_gate = with_gate - (OLD.gate_probability IS NOT NULL)
  WHERE run_id = OLD.run_id;`

const TRIGGERS = `
CREATE TRIGGER predictions_count_insert AFTER INSERT ON predictions
BEGIN ${add}
END;
CREATE TRIGGER predictions_count_delete AFTER DELETE ON predictions
BEGIN ${takeAway}
END;
CREATE TRIGGER predictions_count_update AFTER UPDATE OF run_id, gate_probability ON predictions
  WHEN OLD.run_id IS NOT NEW.run_id OR (OLD.gate_probability IS NULL) IS NOT (NEW.gate_probability IS NULL)
BEGIN ${takeAway} ${add}
END;`

/** It creates this and rebuilds nothing else (see Migration.checkTables). */
export const CHECK_TABLES = ['run_prediction_counts']

export function up(db: Database): void {
  db.exec(TABLE)
  db.exec(BACKFILL)
  db.exec(TRIGGERS)
}
