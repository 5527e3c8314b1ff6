// Lists a folder's files and sorts them into images (recognised by content) and the rest.
// A file named like an image whose content is not one is an error; other non-images are skipped.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sniffFile } from './decode.ts'
import { hasImageExtension, type ImageFormat } from './sniff.ts'

export type FolderEntry =
  | { readonly kind: 'image'; readonly path: string; readonly name: string; readonly format: ImageFormat }
  | { readonly kind: 'error'; readonly path: string; readonly name: string; readonly reason: string }
  | { readonly kind: 'skipped'; readonly path: string; readonly name: string; readonly reason: string }

/** Files directly inside `dir`, sorted by name; sub-folders are not entered. */
export async function scanFolder(dir: string): Promise<FolderEntry[]> {
  const dirents = await readdir(dir, { withFileTypes: true })
  const names = dirents.filter((d) => !d.isDirectory()).map((d) => d.name).sort()
  return Promise.all(names.map((name) => classify(join(dir, name), name)))
}

async function classify(path: string, name: string): Promise<FolderEntry> {
  let format: ImageFormat | null
  try {
    format = await sniffFile(path)
  } catch (error) {
    const reason = `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
    return hasImageExtension(name) ? { kind: 'error', path, name, reason } : { kind: 'skipped', path, name, reason }
  }
  if (format) return { kind: 'image', path, name, format }
  if (hasImageExtension(name)) return { kind: 'error', path, name, reason: 'not an image: the content is not a known image format' }
  return { kind: 'skipped', path, name, reason: 'not an image' }
}
