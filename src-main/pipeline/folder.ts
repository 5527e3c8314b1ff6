// Lists a folder's files and sorts them into images (recognised by content) and the rest.
// A file named like an image whose content is not one is an error; other non-images are skipped.
// One open per file (stat and the first bytes together) with bounded concurrency, so that a
// folder of 10,000 files is listed in well under a second and never runs out of descriptors.
import { constants } from 'node:fs'
import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { hasImageExtension, SNIFF_BYTES, sniffImageFormat, type ImageFormat } from './sniff.ts'

interface EntryBase {
  readonly path: string
  readonly name: string
}

export type FolderEntry =
  | (EntryBase & { readonly kind: 'image'; readonly format: ImageFormat; readonly byteSize: number; readonly mtimeMs: number })
  | (EntryBase & { readonly kind: 'error'; readonly reason: string })
  | (EntryBase & { readonly kind: 'skipped'; readonly reason: string })

const CONCURRENCY = 32

/** Files directly inside `dir`, sorted by name; sub-folders are not entered. */
export async function scanFolder(dir: string): Promise<FolderEntry[]> {
  const dirents = await readdir(dir, { withFileTypes: true })
  const names = dirents.filter((d) => !d.isDirectory()).map((d) => d.name).sort()
  const entries = new Array<FolderEntry>(names.length)
  let next = 0
  const worker = async () => {
    while (next < names.length) {
      const index = next++
      entries[index] = await classifyFile(join(dir, names[index]), names[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, names.length) }, worker))
  return entries
}

/** One file, classified as scanFolder does (for a watcher that sees files one at a time). */
export async function classifyFile(path: string, name: string): Promise<FolderEntry> {
  let format: ImageFormat | null
  let byteSize: number
  let mtimeMs: number
  try {
    // O_NONBLOCK: opening a FIFO (or a link to one) for reading otherwise waits for a writer,
    // forever, on one of libuv's threads; non-blocking, it opens at once and fails isFile() below.
    // Regular files ignore the flag.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) return { kind: 'skipped', path, name, reason: 'not a regular file' }
      const head = new Uint8Array(SNIFF_BYTES)
      const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
      format = sniffImageFormat(head.subarray(0, bytesRead))
      byteSize = stat.size
      mtimeMs = stat.mtimeMs
      if (bytesRead === 0) return hasImageExtension(name) ? { kind: 'error', path, name, reason: 'empty file' } : { kind: 'skipped', path, name, reason: 'empty file' }
    } finally {
      await handle.close()
    }
  } catch (error) {
    const reason = `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
    return hasImageExtension(name) ? { kind: 'error', path, name, reason } : { kind: 'skipped', path, name, reason }
  }
  if (format) return { kind: 'image', path, name, format, byteSize, mtimeMs }
  if (hasImageExtension(name)) return { kind: 'error', path, name, reason: 'not an image: the content is not a known image format' }
  return { kind: 'skipped', path, name, reason: 'not an image' }
}
