// Writes files and folders so that readers see the old content or the whole new content, never a
// part: write a temporary file (or fill a temporary folder) beside the target, flush, then rename
// over it. A failure removes the temporary and leaves the target as it was.
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

let counter = 0
const temporaryBeside = (path: string, kind: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.${kind}`)

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryBeside(path, 'tmp')
  try {
    const handle = await open(temporary, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/**
 * Creates the folder `path` whole: `fill` writes into an empty temporary folder beside it, which
 * then replaces `path` (an existing folder at `path` is moved aside first and removed only once the
 * new one is in place). If `fill` or a rename fails, the temporary folder is removed and whatever
 * was at `path` is put back.
 */
export async function writeDirAtomic<T>(path: string, fill: (temporaryDir: string) => Promise<T>): Promise<T> {
  const temporary = temporaryBeside(path, 'tmpdir')
  let aside: string | null = null
  try {
    await mkdir(temporary)
    const result = await fill(temporary)
    if (await isDirectory(path)) {
      aside = temporaryBeside(path, 'old')
      await rename(path, aside)
    }
    await rename(temporary, path)
    if (aside) await rm(aside, { recursive: true, force: true })
    return result
  } catch (error) {
    // The first error is the one to report; a cleanup that fails too must not replace it.
    await rm(temporary, { recursive: true, force: true, maxRetries: 3 }).catch(() => {})
    if (aside) await rename(aside, path).catch(() => {})
    throw error
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
