// Small JPEG thumbnails for the image list, made with sharp and kept in memory (least recently used
// first out). A thumbnail is keyed by the file's size and mtime as last scanned, so a changed file
// gets a new one. Two at a time, newest request first: the list asks for a screenful at once,
// inference needs the cores, and after a fast scroll the rows now in view matter, not those passed.
import sharp from 'sharp'
import type { ImageRecord } from '../store/index.ts'

export const THUMB_WIDTH_PX = 480
const MAX_ENTRIES = 1500
const MAX_PARALLEL = 2

export class ThumbnailCache {
  readonly #entries = new Map<string, Promise<Buffer>>()
  #running = 0
  readonly #waiting: (() => void)[] = []

  get(path: string, image: ImageRecord): Promise<Buffer> {
    const key = `${image.id}:${image.byteSize}:${image.mtimeMs}`
    let entry = this.#entries.get(key)
    if (entry) {
      this.#entries.delete(key) // re-insert: most recently used last
    } else {
      entry = this.#limited(() => makeThumbnail(path))
      entry.catch(() => this.#entries.delete(key))
    }
    this.#entries.set(key, entry)
    while (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!)
    return entry
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= MAX_PARALLEL) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    this.#running++
    try {
      return await work()
    } finally {
      this.#running--
      this.#waiting.pop()?.()
    }
  }
}

function makeThumbnail(path: string): Promise<Buffer> {
  return sharp(path, { failOn: 'none' }).autoOrient().resize({ width: THUMB_WIDTH_PX, withoutEnlargement: true }).flatten().jpeg({ quality: 78 }).toBuffer()
}
