// Writes files and folders so that readers see the old content or the whole new content, never a
// part, and so that nothing the user had is replaced unless the caller asked for it: a file goes
// through a temporary beside it, then is linked (no overwrite) or renamed (overwrite) into place;
// a folder is filled as a temporary, then becomes the new folder or is merged into an existing one.
import { link, lstat, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface WriteOptions {
  /** Replace an existing file (or, for a folder, the files of the same names in it). Default false. */
  readonly overwrite?: boolean
}

/** The target exists and the caller did not ask to overwrite it. */
export class TargetExistsError extends Error {
  readonly path: string
  /** What is there, e.g. "already exists", "is a folder with 3 entries in it". */
  readonly reason: string
  constructor(path: string, reason: string) {
    super(`${path} ${reason}; nothing was written (ask to overwrite to replace it)`)
    this.path = path
    this.reason = reason
  }
}

let counter = 0
const temporaryName = (path: string, kind: string) => `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.${kind}`
const temporaryBeside = (path: string, kind: string) => join(dirname(path), temporaryName(path, kind))

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  await writeThroughTemporary(path, 'tmp', (handle) => handle.writeFile(data), options)
}

/**
 * Opens a new temporary file beside `path` (named with `kind`), lets `write` fill it, flushes and
 * closes it, then places it at `path`; the temporary is removed whatever happens.
 */
export async function writeThroughTemporary(
  path: string,
  kind: string,
  write: (handle: FileHandle) => Promise<void>,
  options: WriteOptions,
): Promise<void> {
  const temporary = temporaryBeside(path, kind)
  try {
    const handle = await open(temporary, 'wx')
    try {
      await write(handle)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await placeFile(temporary, path, options)
  } finally {
    await rm(temporary, { force: true })
  }
}

/** Puts a written temporary file at `path`: over what is there only with `overwrite`. */
async function placeFile(temporary: string, path: string, options: WriteOptions): Promise<void> {
  if (options.overwrite) await rename(temporary, path)
  else await linkNoClobber(temporary, path)
}

/** link() fails with EEXIST when the target is there, so no check-then-write race can clobber it. */
async function linkNoClobber(temporary: string, path: string): Promise<void> {
  try {
    await link(temporary, path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new TargetExistsError(path, (await isDirectory(path)) ? 'is a folder' : 'already exists')
    // Filesystems without hard links (FAT, some network mounts): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error
    if (await exists(path)) throw new TargetExistsError(path, 'already exists')
    await rename(temporary, path)
  }
}

/**
 * Writes the folder `path`: `fill` writes into an empty temporary folder, which then becomes `path`
 * when there is none, or whose files are moved into `path` when it is an empty folder. A folder
 * with anything in it is refused unless `overwrite`: then only the files `fill` wrote replace those
 * of the same names, and every other file stays. A file at `path` is always refused. If `fill` or a
 * move fails, the temporary folder and the files already moved in are removed.
 */
export async function writeDirAtomic<T>(path: string, fill: (temporaryDir: string) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  const existing = await folderEntries(path)
  if (existing === 'file') throw new TargetExistsError(path, 'is a file, not a folder')
  if (existing && existing.length > 0 && !options.overwrite) {
    throw new TargetExistsError(path, `is a folder with ${existing.length} ${existing.length === 1 ? 'entry' : 'entries'} in it`)
  }
  // Into an existing folder the temporary lives inside it: same filesystem, even at a mount point.
  const temporary = existing ? join(path, temporaryName(path, 'tmpdir')) : temporaryBeside(path, 'tmpdir')
  try {
    await mkdir(temporary)
    const result = await fill(temporary)
    if (existing) await mergeInto(temporary, path, new Set(existing))
    else await rename(temporary, path)
    return result
  } finally {
    // The first error is the one to report; a cleanup that fails too must not replace it.
    await rm(temporary, { recursive: true, force: true, maxRetries: 3 }).catch(() => {})
  }
}

async function mergeInto(temporary: string, path: string, before: ReadonlySet<string>): Promise<void> {
  const moved: string[] = []
  try {
    for (const name of await readdir(temporary)) {
      await rename(join(temporary, name), join(path, name))
      if (!before.has(name)) moved.push(name)
    }
  } catch (error) {
    await Promise.all(moved.map((name) => rm(join(path, name), { force: true }).catch(() => {})))
    throw error
  }
}

/** The names in the folder at `path`, null when nothing is there, 'file' when something else is. */
async function folderEntries(path: string): Promise<string[] | 'file' | null> {
  const info = await stat(path).catch(() => null) // a link to a folder is a folder
  if (!info) return (await exists(path)) ? 'file' : null
  if (!info.isDirectory()) return 'file'
  return readdir(path)
}

async function isDirectory(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null))?.isDirectory() ?? false
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null)) !== null
}
