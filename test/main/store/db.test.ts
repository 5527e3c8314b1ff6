// Opening a database: pragmas, migrations, reopening a file, and the files it must refuse.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openDatabase } from '../../../src-main/store/db.ts'
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts'
import { openStore, SCHEMA_VERSION, StoreOpenError } from '../../../src-main/store/index.ts'
import { blobMaps, seed, SHA_A, tempDbPath } from './fixtures.ts'

test('a new file database is WAL, enforces foreign keys and is at the newest schema version', () => {
  const path = tempDbPath()
  const db = openDatabase(path)
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1)
  assert.equal(db.pragma('synchronous', { simple: true }), 1) // NORMAL
  assert.equal(db.pragma('busy_timeout', { simple: true }), 5000)
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION)
  db.close()
})

test('a file written, closed and reopened keeps its rows and is not migrated again', () => {
  const path = tempDbPath()
  const first = openStore(path)
  const { run, image } = seed(first)
  first.predictions.save({ runId: run.id, imageId: image.id, imageSha256: SHA_A, gateProbability: 0.9, gatePassed: true, classStats: [], probMaps: blobMaps(), masks: [{ classId: 1, rle: '1 5' }] })
  first.close()
  first.close() // idempotent

  const second = openStore(path)
  assert.equal(second.schemaVersion, SCHEMA_VERSION)
  assert.equal(second.predictions.countByRun(run.id), 1)
  assert.deepEqual(second.checkIntegrity(), [])
  assert.deepEqual(second.predictions.readProbMaps(second.predictions.get(run.id, image.id)!.id)?.mapsU8, blobMaps().mapsU8)
  second.close()
})

test('a database from a newer schema is refused, naming the file and both versions, and is left untouched', () => {
  const path = tempDbPath()
  const raw = new Database(path)
  raw.pragma(`user_version = ${SCHEMA_VERSION + 6}`)
  raw.exec('CREATE TABLE from_the_future (x INTEGER) STRICT')
  raw.close()
  assert.throws(
    () => openStore(path),
    (error: Error) => {
      assert.ok(error instanceof StoreOpenError)
      assert.ok(error.message.includes(path), error.message)
      assert.match(error.message, new RegExp(`schema version ${SCHEMA_VERSION + 6}\\b`))
      assert.match(error.message, new RegExp(`up to ${SCHEMA_VERSION}\\b`))
      return true
    },
  )
  const after = new Database(path, { readonly: true })
  assert.equal(after.pragma('user_version', { simple: true }), SCHEMA_VERSION + 6)
  assert.equal(after.pragma('journal_mode', { simple: true }), 'delete') // not switched to WAL either
  after.close()
})

test('a file that is not SQLite is refused by name and not overwritten', () => {
  const path = tempDbPath()
  const text = 'image_id,class_id,rle\n0002cc93b.jpg,1,29102 12\n'.repeat(20)
  writeFileSync(path, text)
  assert.throws(() => openStore(path), (error: Error) => error instanceof StoreOpenError && error.message === `${path} is not a SQLite database`)
  assert.equal(readFileSync(path, 'utf8'), text)
})

test('a SQLite header followed by garbage is refused by name', () => {
  const path = tempDbPath()
  writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 0xab)]))
  assert.throws(() => openStore(path), (error: Error) => error instanceof StoreOpenError && error.message.startsWith(`${path} is not a usable SQLite database`))
})

test('an empty file is a new database (SQLite treats it so)', () => {
  const path = tempDbPath()
  writeFileSync(path, '')
  const store = openStore(path)
  assert.equal(store.schemaVersion, SCHEMA_VERSION)
  store.close()
})

test('a migration that fails leaves the database at its old version with none of the batch applied', () => {
  const path = tempDbPath()
  const migrations = [
    { version: 1, name: 'ok', up: (db: Database.Database) => db.exec('CREATE TABLE a (x INTEGER) STRICT') },
    { version: 2, name: 'broken', up: (db: Database.Database) => db.exec('CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1)') },
  ]
  assert.throws(() => openDatabase(path, migrations), /no such table: nowhere/)
  const db = new Database(path)
  assert.equal(db.pragma('user_version', { simple: true }), 0)
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get(), 0)
  db.close()
  const fixed = openDatabase(path, migrations.slice(0, 1))
  assert.equal(fixed.pragma('user_version', { simple: true }), 1)
  fixed.close()
})

test('migrations out of order are a programming error', () => {
  const up = () => {}
  assert.throws(() => openDatabase(':memory:', [{ version: 2, name: 'skipped-one', up }]), /expected 1/)
})

test('a directory that does not exist is reported with the path', () => {
  assert.throws(() => openStore('/nonexistent-dir-for-coilscope/x.db'), /cannot open database \/nonexistent-dir-for-coilscope\/x\.db/)
})

test('opening a current database does not check every foreign key; a migration that breaks one is refused', () => {
  const path = tempDbPath()
  openStore(path).close()
  const raw = new Database(path)
  raw.pragma('foreign_keys = OFF')
  raw.exec("INSERT INTO images (source_id, relative_path, byte_size, mtime_ms) VALUES (99, 'orphan.jpg', 1, 1)")
  raw.close()
  // No migration ran, so no library-wide check either (the integrity check still finds it on demand).
  const store = openStore(path)
  assert.ok(store.checkIntegrity().includes('images row 1 refers to a missing sources row'))
  store.close()

  // A migration that rebuilds tables defers the foreign keys; the check before commit catches what it broke.
  const breaking = {
    version: SCHEMA_VERSION + 1,
    name: 'orphan',
    up: (db: Database.Database) => {
      db.pragma('defer_foreign_keys = ON')
      db.exec("INSERT INTO images (source_id, relative_path, byte_size, mtime_ms) VALUES (98, 'x.jpg', 1, 1)")
    },
  }
  const fresh = tempDbPath()
  openStore(fresh).close()
  assert.throws(() => openDatabase(fresh, [...MIGRATIONS, breaking]), /migration left \d+ broken foreign key/)
  assert.equal(openStore(fresh).schemaVersion, SCHEMA_VERSION, 'nothing of it was kept')
})
