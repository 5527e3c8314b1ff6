// Lists a folder's files (sub-folders included) and sorts them into images (recognised by content) and the rest.
// A file named like an image whose content is not one is an error; other non-images are skipped.
// Only regular files are opened (a FIFO would block, a device node might never end), and a file is
// opened once (stat and the first bytes together) with bounded concurrency, so that a folder of
// 10,000 files is listed in well under a second and never runs out of descriptors.
import { constants, type Dirent } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { irregularKind } from '../files/readRegularFile.ts'
import { listFolderTree, type FolderTreeOptions, type TreeFile } from './folderTree.ts'
import { hasImageExtension, SNIFF_BYTES, sniffImageFormat, unsupportedImageFormat, unsupportedReason, type ImageFormat } from './sniff.ts'

interface EntryBase {
  readonly path: string
  readonly name: string
}

export type FolderEntry =
  | (EntryBase & { readonly kind: 'image'; readonly format: ImageFormat; readonly byteSize: number; readonly mtimeMs: number })
  | (EntryBase & { readonly kind: 'error'; readonly reason: string })
  | (EntryBase & { readonly kind: 'skipped'; readonly reason: string })

export interface FolderListing {
  /** Files in the folder and its sub-folders, sorted by path from the folder ('/'-separated names). */
  readonly entries: FolderEntry[]
  /** Sub-folders not entered ("name (why)"), sorted by path. */
  readonly subfolders: string[]
}

const CONCURRENCY = 32

/** Files in `dir` and its sub-folders (see folderTree.ts for which are entered), sorted by path. */
export async function scanFolder(dir: string, options: FolderTreeOptions = {}): Promise<FolderListing> {
  const { files, setAside } = await listFolderTree(dir, options)
  const entries = new Array<FolderEntry>(files.length)
  let next = 0
  const worker = async () => {
    while (next < files.length) {
      const index = next++
      entries[index] = await classify(files[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker))
  return { entries, subfolders: setAside.map((f) => `${f.path} (${f.reason})`) }
}

async function classify({ dir, dirent, relativePath: name }: TreeFile): Promise<FolderEntry> {
  const path = join(dir, dirent.name.toString())
  if (!Buffer.from(dirent.name.toString()).equals(dirent.name)) return failed(path, name, 'the file name is not valid UTF-8; rename the file to inspect it')
  // Known from the listing (no open): FIFOs, sockets, devices.
  if (!dirent.isFile() && !dirent.isSymbolicLink() && isKnownType(dirent)) return { kind: 'skipped', path, name, reason: `not a regular file (${kindOf(dirent)})` }
  return classifyFile(path, name, dirent.isFile())
}

/**
 * One file, classified as scanFolder does (a watcher sees files one at a time). `isListedRegular`:
 * the listing already said it is a regular file, so no stat is needed before opening it.
 */
export async function classifyFile(path: string, name: string, isListedRegular = false): Promise<FolderEntry> {
  const fail = (reason: string) => failed(path, name, reason)
  let format: ImageFormat | null
  let head: Uint8Array
  let byteSize: number
  let mtimeMs: number
  try {
    // A link (or a filesystem that does not say the type): look at what it points to first.
    if (!isListedRegular) {
      const kind = irregularKind(await stat(path))
      if (kind) return { kind: 'skipped', path, name, reason: `not a regular file (${kind})` }
    }
    // O_NONBLOCK: should the file have become a FIFO since, the open does not wait for a writer,
    // and fstat below refuses it. Regular files ignore the flag.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const info = await handle.stat()
      const kind = irregularKind(info)
      if (kind) return { kind: 'skipped', path, name, reason: `not a regular file (${kind})` }
      const buffer = new Uint8Array(SNIFF_BYTES)
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
      head = buffer.subarray(0, bytesRead)
      format = sniffImageFormat(head)
      byteSize = info.size
      mtimeMs = info.mtimeMs
      if (bytesRead === 0) return fail('empty file')
    } finally {
      await handle.close()
    }
  } catch (error) {
    return fail(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  if (format) return { kind: 'image', path, name, format, byteSize, mtimeMs }
  // An image in a format not read here is an error whatever its name; other content only under an image's name.
  if (hasImageExtension(name) || unsupportedImageFormat(head)) return { kind: 'error', path, name, reason: unsupportedReason(head) }
  return { kind: 'skipped', path, name, reason: 'not an image' }
}

/** Content that cannot be inspected: an error under an image's name, else skipped. */
function failed(path: string, name: string, reason: string): FolderEntry {
  return hasImageExtension(name) ? { kind: 'error', path, name, reason } : { kind: 'skipped', path, name, reason }
}

function isKnownType(d: Dirent<Buffer>): boolean {
  return d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice()
}

function kindOf(d: Dirent<Buffer>): string {
  if (d.isFIFO()) return 'a FIFO'
  if (d.isSocket()) return 'a socket'
  if (d.isCharacterDevice()) return 'a character device'
  return 'a block device'
}
