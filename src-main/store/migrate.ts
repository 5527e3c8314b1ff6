// Brings a database up to the newest schema, or refuses it. All pending migrations run in one
// IMMEDIATE transaction, so a crash leaves the old version intact and a second process opening the
// same file waits instead of migrating twice.
import type { Database } from 'better-sqlite3'
import type { Migration } from './migrations/index.ts'
import { StoreOpenError } from './storeOpenError.ts'

/** Returns the versions applied (empty when the database was already current). */
export function migrate(db: Database, migrations: readonly Migration[], file: string): number[] {
  checkOrder(migrations)
  const newest = newestVersion(migrations)
  const applied: number[] = []
  db.transaction(() => {
    const current = userVersion(db)
    refuseNewer(current, newest, file)
    for (const migration of migrations) {
      if (migration.version <= current) continue
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
      applied.push(migration.version)
    }
    if (applied.length === 0) return
    // A migration that rebuilds a table bypasses the foreign keys; check them before committing.
    // Only then: on a current database the check would read every row of a large library at each open.
    const broken = foreignKeyProblems(db, migrations.filter((m) => applied.includes(m.version)))
    if (broken.length > 0) throw new StoreOpenError(`${file}: migration left ${broken.length} broken foreign key(s)`)
  }).immediate()
  return applied
}

/** The foreign key check of what the migrations applied may have broken: named tables, or all. */
function foreignKeyProblems(db: Database, applied: readonly Migration[]): unknown[] {
  const tables = applied.every((m) => m.checkTables) ? [...new Set(applied.flatMap((m) => m.checkTables!))] : null
  if (!tables) return db.pragma('foreign_key_check') as unknown[]
  return tables.flatMap((table) => db.pragma(`foreign_key_check(${table})`) as unknown[])
}

export function newestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1].version
}

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function refuseNewer(current: number, newest: number, file: string): void {
  if (current > newest) {
    throw new StoreOpenError(
      `${file} has schema version ${current}, but this version of Coilscope knows schema versions up to ${newest}; ` +
        'it was written by a newer Coilscope. Open it with that version, or choose another database.',
    )
  }
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`)
  })
}
