// Runs the pipeline over a list of image files, one outcome per file, in order. A file that cannot
// be read or decoded becomes an error outcome and the others go on. The next file is read and
// decoded (on sharp's threads) while the current one is in the models.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { decodeImage, ImageError, type DecodedImage } from './decode.ts'
import type { BatchTimings, Inspection, Inspector } from './inspector.ts'

export interface ImageTimings extends BatchTimings {
  /** Reading and decoding the file (overlaps the previous image's inference). */
  decodeMs: number
}

export type FileOutcome =
  | {
      readonly ok: true
      readonly path: string
      /** sha256 of the file's bytes: the image's identity in the store. */
      readonly sha256: string
      readonly image: Omit<DecodedImage, 'pixels'>
      readonly inspection: Inspection
      readonly timings: ImageTimings
    }
  | { readonly ok: false; readonly path: string; readonly error: string }

type Decoded = { path: string; sha256: string; image: DecodedImage; decodeMs: number } | { path: string; error: string }

/** `onStart` is told each decoded file just before it goes into the models. */
export async function* inspectFiles(
  inspector: Inspector,
  paths: readonly string[],
  onStart: (path: string) => void = () => {},
): AsyncGenerator<FileOutcome> {
  const decodeOptions = { channels: inspector.channels, expectedSize: inspector.imageSize }
  const load = async (path: string): Promise<Decoded> => {
    const started = performance.now()
    try {
      const bytes = new Uint8Array(await readFile(path))
      const image = await decodeImage(bytes, decodeOptions)
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      return { path, sha256, image, decodeMs: performance.now() - started }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason = error instanceof ImageError ? error.message : code ? `cannot read (${code})` : (error as Error).message
      return { path, error: reason }
    }
  }
  let next = paths.length > 0 ? load(paths[0]) : null
  for (let i = 0; i < paths.length; i++) {
    const current = await next!
    next = i + 1 < paths.length ? load(paths[i + 1]) : null
    if ('error' in current) {
      yield { ok: false, path: current.path, error: current.error }
      continue
    }
    try {
      onStart(current.path)
      const { inspections, timings } = await inspector.inspectBatch([current.image])
      const { pixels: _pixels, ...image } = current.image
      yield { ok: true, path: current.path, sha256: current.sha256, image, inspection: inspections[0], timings: { ...timings, decodeMs: current.decodeMs } }
    } catch (error) {
      yield { ok: false, path: current.path, error: `inference failed: ${(error as Error).message}` }
    }
  }
}
