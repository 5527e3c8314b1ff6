// Which files a source's scan looks at: those in the folder and in its sub-folders (a folder per
// coil, and a level or two more for lines that split by date), the way the folder watch follows
// them. A source folder is not trusted to be tidy: a link back to a folder already entered (a loop)
// is not followed again, trees deeper than MAX_DEPTH are not entered, hidden folders (.git,
// .thumbnails) and excluded folders (the library's exports) are left out, and each folder left
// out is named with the reason, so nothing is dropped silently.
import type { Dirent } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** The same depth the folder watch follows. */
export const MAX_DEPTH = 3

export interface TreeFile {
  /** The folder that holds the file. */
  readonly dir: string
  readonly dirent: Dirent<Buffer>
  /** Path from the source folder, '/'-separated. */
  readonly relativePath: string
}

export interface FolderSetAside {
  /** Path from the source folder, '/'-separated. */
  readonly path: string
  readonly reason: string
}

export interface FolderTree {
  readonly files: TreeFile[]
  /** Sub-folders not entered, with why, sorted by path. */
  readonly setAside: FolderSetAside[]
}

export interface FolderTreeOptions {
  /** Folders (absolute) never entered, such as the library's export folder. */
  readonly exclude?: readonly string[]
  readonly maxDepth?: number
}

export async function listFolderTree(root: string, options: FolderTreeOptions = {}): Promise<FolderTree> {
  const maxDepth = options.maxDepth ?? MAX_DEPTH
  const excluded = new Set(await Promise.all((options.exclude ?? []).map((p) => realpath(p).catch(() => p))))
  const entered = new Set([await realpath(root)])
  const files: TreeFile[] = []
  const setAside: FolderSetAside[] = []
  const pending = [{ dir: root, prefix: '', depth: 0 }]
  while (pending.length > 0) {
    const { dir, prefix, depth } = pending.pop()!
    // Names as bytes: a name that is not valid UTF-8 cannot be opened through a JS string.
    let dirents: Dirent<Buffer>[]
    try {
      dirents = await readdir(dir, { withFileTypes: true, encoding: 'buffer' })
    } catch (error) {
      // The source folder itself must be readable (the caller reports that); a sub-folder is set aside.
      if (depth === 0) throw error
      setAside.push({ path: prefix.slice(0, -1), reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` })
      continue
    }
    // Real folders before links, so a folder is entered under its own name rather than a link's.
    dirents.sort((a, b) => Number(a.isSymbolicLink()) - Number(b.isSymbolicLink()) || Buffer.compare(a.name, b.name))
    for (const dirent of dirents) {
      const name = dirent.name.toString()
      const path = join(dir, name)
      const folder = await folderKind(dirent, path)
      if (!folder) {
        files.push({ dir, dirent, relativePath: prefix + name })
        continue
      }
      const relative = prefix + name
      const reason = await whyNotEnter({ name, path, depth: depth + 1, maxDepth, excluded, entered, isValidName: Buffer.from(name).equals(dirent.name) })
      if (reason) setAside.push({ path: relative, reason })
      else pending.push({ dir: path, prefix: `${relative}/`, depth: depth + 1 })
    }
  }
  files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
  setAside.sort((a, b) => (a.path < b.path ? -1 : 1))
  return { files, setAside }
}

/** A folder, or a link to one (followed only if it leads somewhere not yet entered). */
async function folderKind(dirent: Dirent<Buffer>, path: string): Promise<boolean> {
  if (dirent.isDirectory()) return true
  if (!dirent.isSymbolicLink()) return false
  return (await stat(path).catch(() => null))?.isDirectory() ?? false
}

async function whyNotEnter(f: {
  name: string
  path: string
  depth: number
  maxDepth: number
  excluded: ReadonlySet<string>
  entered: Set<string>
  isValidName: boolean
}): Promise<string | null> {
  if (!f.isValidName) return 'the folder name is not valid UTF-8; rename the folder to inspect its images'
  if (f.name.startsWith('.')) return 'a hidden folder'
  if (f.depth > f.maxDepth) return `deeper than ${f.maxDepth} levels below the source`
  const real = await realpath(f.path).catch(() => null)
  if (real === null) return 'cannot resolve the folder'
  if (f.excluded.has(real)) return "the library's export folder"
  if (f.entered.has(real)) return 'a link to a folder already scanned'
  f.entered.add(real)
  return null
}
