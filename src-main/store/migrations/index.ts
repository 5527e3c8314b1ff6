// The schema's history: one migration per version, in order. A new version is a new file here and
// a new test beside it; a released migration is never edited.
import type { Database } from 'better-sqlite3'
import * as initial from './001_initial.ts'
import * as scale from './002_scale.ts'
import * as jobs from './003_jobs.ts'
import * as coils from './004_coils.ts'
import * as profiles from './005_profiles.ts'
import * as reviewState from './006_review_state.ts'
import * as runCounts from './007_run_counts.ts'
import * as marginGenerations from './008_review_margin_generations.ts'
import * as coilLines from './009_coil_lines.ts'

export interface Migration {
  /** The `user_version` the database has after this migration. */
  readonly version: number
  readonly name: string
  readonly up: (db: Database) => void
  /**
   * The only tables whose foreign keys this migration can break (it rebuilds none other): the
   * check after it reads these alone instead of every row of the library. Absent: all tables.
   */
  readonly checkTables?: readonly string[]
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001_initial', up: initial.up },
  { version: 2, name: '002_scale', up: scale.up },
  { version: 3, name: '003_jobs', up: jobs.up },
  { version: 4, name: '004_coils', up: coils.up },
  { version: 5, name: '005_profiles', up: profiles.up },
  { version: 6, name: '006_review_state', up: reviewState.up },
  { version: 7, name: '007_run_counts', up: runCounts.up, checkTables: runCounts.CHECK_TABLES },
  { version: 8, name: '008_review_margin_generations', up: marginGenerations.up, checkTables: marginGenerations.CHECK_TABLES },
  { version: 9, name: '009_coil_lines', up: coilLines.up, checkTables: coilLines.CHECK_TABLES },
]

/** The newest schema this code can read and write. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version
