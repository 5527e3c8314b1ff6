// Brings a folder's files, sub-folders included, into the store: images (size and mtime tell unchanged files), per-file
// errors for files that claim to be images but are not, notes for the rest. Identical content is
// inspected once: only files of equal size are hashed, and duplicates skipped.
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { readRegularFile } from '../files/readRegularFile.ts'
import { scanFolder, type FolderEntry } from '../pipeline/index.ts'
import type { ImageRecord, SourceRecord, Store } from '../store/index.ts'

export interface ScanResult {
  readonly source: SourceRecord
  /** Images to inspect (not failed at scan, not duplicates). */
  readonly images: readonly ImageRecord[]
  readonly failed: readonly { readonly path: string; readonly reason: string }[]
  readonly skipped: readonly { readonly path: string; readonly reason: string }[]
  readonly duplicates: readonly { readonly path: string; readonly sameAs: string }[]
  /** Sub-folders not entered, each "path (why)". */
  readonly subfolders: readonly string[]
}

export async function scanSource(store: Store, folder: string): Promise<ScanResult> {
  // A library kept inside its source folder: its exports are not images of the source.
  const exclude = store.path === ':memory:' ? [] : [join(dirname(store.path), 'exports')]
  const { entries, subfolders } = await scanFolder(folder, { exclude })
  const hashes = await hashSameSizeFiles(entries)
  return store.transaction(() => {
    const source = store.sources.ensure(folder)
    const images: ImageRecord[] = []
    const failed: { path: string; reason: string }[] = []
    const skipped: { path: string; reason: string }[] = []
    const duplicates: { path: string; sameAs: string }[] = []
    const firstWithHash = new Map<string, string>()
    for (const entry of entries) {
      if (entry.kind === 'skipped') {
        skipped.push({ path: entry.path, reason: entry.reason })
        continue
      }
      const byteSize = entry.kind === 'image' ? entry.byteSize : 0
      const mtimeMs = entry.kind === 'image' ? entry.mtimeMs : 0
      const sha256 = hashes.get(entry.path) ?? null
      const { image } = store.images.upsert({ sourceId: source.id, relativePath: entry.name, byteSize, mtimeMs, sha256 })
      if (entry.kind === 'error') {
        store.images.markFailed(image.id, entry.reason)
        failed.push({ path: entry.path, reason: entry.reason })
        continue
      }
      const sameAs = sha256 ? firstWithHash.get(sha256) : undefined
      if (sameAs) {
        store.images.markSkipped(image.id, `same content as ${sameAs}`)
        duplicates.push({ path: entry.path, sameAs })
        continue
      }
      if (sha256) firstWithHash.set(sha256, entry.name)
      images.push(image)
    }
    return { source, images, failed, skipped, duplicates, subfolders }
  })
}

/** Hashes only files that share their byte size with another image: the only possible duplicates. */
async function hashSameSizeFiles(entries: readonly FolderEntry[]): Promise<Map<string, string>> {
  const bySize = new Map<number, string[]>()
  for (const e of entries) {
    if (e.kind !== 'image') continue
    const paths = bySize.get(e.byteSize)
    if (paths) paths.push(e.path)
    else bySize.set(e.byteSize, [e.path])
  }
  const hashes = new Map<string, string>()
  for (const paths of bySize.values()) {
    if (paths.length < 2) continue
    for (const path of paths) {
      try {
        hashes.set(path, createHash('sha256').update(await readRegularFile(path)).digest('hex'))
      } catch {
        // Unreadable now: inference will report it.
      }
    }
  }
  return hashes
}
