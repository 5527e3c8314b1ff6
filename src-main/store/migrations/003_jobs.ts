// Jobs are rows: every queued job with its settings, state and progress, and the process that owns
// it (pid, host, a per-queue token and a heartbeat), so that a job whose process died is seen as
// interrupted when the library is opened again and can be resumed. AUTOINCREMENT: a job id is never
// reused, even after the newest job row is gone. Watched sources and the arrival time of each file
// they picked up (for backlog, arrival rate and latency) live beside them. Depends only on 001.
import type { Database } from 'better-sqlite3'

export const JOB_ROW_STATES = ['pending', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ')

export const SQL = `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('folder', 'watch')),
  folder_path TEXT NOT NULL CHECK (folder_path <> ''),
  settings_json TEXT NOT NULL CHECK (json_valid(settings_json) AND json_type(settings_json) = 'object'),
  state TEXT NOT NULL CHECK (state IN (${quoted(JOB_ROW_STATES)})),
  source_id INTEGER REFERENCES sources (id),
  run_id INTEGER REFERENCES runs (id),
  done INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
  total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
  errors INTEGER NOT NULL DEFAULT 0 CHECK (errors >= 0),
  message TEXT,
  owner_pid INTEGER,
  owner_host TEXT,
  owner_token TEXT,
  heartbeat_at_ms INTEGER,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER
) STRICT;
CREATE INDEX jobs_by_state ON jobs (state);

-- A source set to watch, with the job settings (model set, provider, profile) new files get.
CREATE TABLE watched_sources (
  source_id INTEGER PRIMARY KEY REFERENCES sources (id),
  settings_json TEXT NOT NULL CHECK (json_valid(settings_json) AND json_type(settings_json) = 'object'),
  since_ms INTEGER NOT NULL
) STRICT;

-- When a watched source saw a file complete (a replaced file arrives again).
CREATE TABLE arrivals (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images (id),
  source_id INTEGER NOT NULL REFERENCES sources (id),
  arrived_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX arrivals_by_source ON arrivals (source_id, arrived_at_ms);
CREATE INDEX predictions_by_time ON predictions (run_id, created_at_ms);
`

export function up(db: Database): void {
  db.exec(SQL)
  // Runs left 'running' by a process that died before jobs were rows can only be resumed by hand.
  db.exec("UPDATE runs SET status = 'paused', finished_at_ms = NULL WHERE status IN ('running', 'pending')")
}
