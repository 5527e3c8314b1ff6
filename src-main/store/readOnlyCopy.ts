// A library that cannot be written where it lies (a read-only mount, a folder without write
// permission) is opened as a private copy, read-only: SQLite cannot read a WAL-mode database where
// it cannot create the shared-memory file beside it, and better-sqlite3 has no immutable mode.
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { openStore, type Store } from './index.ts'

/** False when the database exists but neither it nor its folder can be written. */
export function isWritableLibrary(path: string): boolean {
  if (!existsSync(path)) return true
  try {
    accessSync(dirname(path), constants.W_OK)
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

export interface ReadOnlyLibrary {
  readonly store: Store
  /** Bytes copied (the database and its write-ahead log). */
  readonly bytes: number
  /** Closes the store and removes the copy. */
  close(): void
}

export function openReadOnlyCopy(path: string): ReadOnlyLibrary {
  const folder = mkdtempSync(join(tmpdir(), 'coilscope-readonly-'))
  const copy = join(folder, basename(path))
  let bytes = 0
  try {
    for (const suffix of ['', '-wal']) {
      if (suffix && !existsSync(path + suffix)) continue // the log holds the newest commits, if any
      copyFileSync(path + suffix, copy + suffix)
      bytes += statSync(copy + suffix).size
    }
    const store = openStore(copy, { readOnly: true })
    return {
      store,
      bytes,
      close: () => {
        store.close()
        rmSync(folder, { recursive: true, force: true })
      },
    }
  } catch (error) {
    rmSync(folder, { recursive: true, force: true })
    if (error instanceof Error) error.message = error.message.replaceAll(copy, path) // name the library, not the copy
    throw error
  }
}
