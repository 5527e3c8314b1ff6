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

/**
 * `readOnly`: opens an existing database without writing anything — no WAL switch, no migration (a
 * database that needs one is refused); every write then fails with SQLITE_READONLY.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS, options: { readOnly?: boolean } = {}): Database.Database {
  if (path !== MEMORY) refuseNonSqlite(path)
  let db: Database.Database
  try {
    db = new Database(path, options.readOnly ? { readonly: true, fileMustExist: true } : {})
  } catch (error) {
    throw new StoreOpenError(`cannot open database ${path}: ${(error as Error).message}`)
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    const version = readVersion(db, path)
    refuseNewer(version, newestVersion(migrations), path)
    if (options.readOnly) {
      if (version < newestVersion(migrations)) throw new StoreOpenError(`${path} has schema version ${version} and needs an upgrade to ${newestVersion(migrations)}, which a read-only library cannot get`)
      db.pragma('foreign_keys = ON')
      return db
    }
    if (path !== MEMORY) db.pragma('journal_mode = WAL')
    // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    migrate(db, migrations, path)
    beginImmediately(db)
    return db
  } catch (error) {
    db.close()
    // SQLite's own messages ("database disk image is malformed") do not say which file.
    if (error instanceof Database.SqliteError) throw new StoreOpenError(`cannot open database ${path}: ${error.message}`)
    throw error
  }
}

/** A zero-length file is an empty database to SQLite; anything else must start with its header. */
function refuseNonSqlite(path: string): void {
  let size: number
  try {
    const stat = statSync(path)
    if (stat.isDirectory()) throw new StoreOpenError(`${path} is a folder, not a database file`)
    size = stat.size
  } catch (error) {
    if (error instanceof StoreOpenError) throw error
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

/**
 * Every transaction of a writable connection begins IMMEDIATE (takes the write lock at once, waiting
 * up to the busy timeout). A deferred one that read first fails at its first write with SQLITE_BUSY,
 * without waiting, whenever a second connection (Review's margin worker, a CLI run beside serve)
 * holds the lock or committed since that read.
 */
function beginImmediately(db: Database.Database): void {
  const transaction = db.transaction.bind(db)
  db.transaction = ((work: Parameters<Database.Database['transaction']>[0]) => {
    const made = transaction(work)
    const { deferred, immediate, exclusive } = made
    return Object.assign((...args: unknown[]) => immediate(...args), { default: immediate, deferred, immediate, exclusive })
  }) as Database.Database['transaction']
}
