// Opens the SQLite connection the way the whole app relies on: WAL for file databases (readers never
// block the single writer; a crash loses at most the last transaction), foreign keys on, a busy
// timeout for a second process, and the schema migrated. Files that are not SQLite, and databases
// from a newer schema, are refused before anything is written to them.
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { migrate, newestVersion, refuseNewer, userVersion } from './migrate.ts'
import { MIGRATIONS, type Migration } from './migrations/index.ts'
import { StoreOpenError } from './storeOpenError.ts'

const SQLITE_HEADER = 'SQLite format 3\0'
const BUSY_TIMEOUT_MS = 5000

export const MEMORY = ':memory:'

export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
  if (path !== MEMORY) refuseNonSqlite(path)
  let db: Database.Database
  try {
    db = new Database(path)
  } catch (error) {
    throw new StoreOpenError(`cannot open database ${path}: ${(error as Error).message}`)
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    refuseNewer(readVersion(db, path), newestVersion(migrations), path)
    if (path !== MEMORY) db.pragma('journal_mode = WAL')
    // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    migrate(db, migrations, path)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/** A zero-length file is an empty database to SQLite; anything else must start with its header. */
function refuseNonSqlite(path: string): void {
  let size: number
  try {
    size = statSync(path).size
  } catch {
    return // does not exist yet: SQLite creates it
  }
  if (size === 0) return
  const header = Buffer.alloc(SQLITE_HEADER.length)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, header, 0, header.length, 0)
  } finally {
    closeSync(fd)
  }
  if (header.toString('latin1') !== SQLITE_HEADER) throw new StoreOpenError(`${path} is not a SQLite database`)
}

function readVersion(db: Database.Database, path: string): number {
  try {
    return userVersion(db)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new StoreOpenError(`${path} is not a usable SQLite database: ${(error as Error).message}`)
    throw error
  }
}
