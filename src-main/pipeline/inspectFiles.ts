// Runs the pipeline over a list of image files, one outcome per file, in order. A file that cannot
// be read or decoded becomes an error outcome and the others go on. Files go into the models in
// batches of the inspector's batch size (1 on the CPU, 16 on a GPU); the next batch is read and
// decoded (on sharp's threads) while the current one is in the models.
import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { NotRegularFileError, readRegularFileSync } from '../files/readRegularFile.ts'
import { decodeImage, ImageError, type DecodedImage } from './decode.ts'
import type { BatchTimings, Inspection, Inspector } from './inspector.ts'

export interface ImageTimings extends BatchTimings {
  /**
   * From the start of reading the file to its decoded pixels (overlaps the previous image's
   * inference, and counts the time the file waited for the models to let the thread go).
   */
  decodeMs: number
  /** How long the models waited for this image to be decoded: the part of decoding not overlapped. */
  decodeWaitMs: number
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

export interface InspectFilesOptions {
  /** Read and decode the next batch while the current one is in the models (default true). */
  readonly prefetch?: boolean
}

/** `onStart` is told each decoded file just before it goes into the models. */
export async function* inspectFiles(
  inspector: Inspector,
  paths: readonly string[],
  onStart: (path: string) => void = () => {},
  options: InspectFilesOptions = {},
): AsyncGenerator<FileOutcome> {
  const prefetch = options.prefetch ?? true
  const decodeOptions = { channels: inspector.channels, expectedSize: inspector.imageSize }
  const load = async (path: string): Promise<Decoded> => {
    const started = performance.now()
    try {
      // Read synchronously: an asynchronous read needs several turns of the event loop, which the
      // models (blocking this thread while they run) would not give it, and the prefetched
      // image would still be unread when the current one is done. Read now, sharp decodes on its
      // own thread while the models run.
      const bytes = new Uint8Array(readRegularFileSync(path))
      const image = await decodeImage(bytes, decodeOptions)
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      return { path, sha256, image, decodeMs: performance.now() - started }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason = error instanceof ImageError ? error.message : error instanceof NotRegularFileError ? `not a regular file (${error.kind})` : code ? `cannot read (${code})` : (error as Error).message
      return { path, error: reason }
    }
  }
  const size = Math.max(1, Math.floor(inspector.batchSize))
  const loadBatch = (start: number) => (start < paths.length ? Promise.all(paths.slice(start, start + size).map(load)) : null)
  let next = loadBatch(0)
  for (let start = 0; start < paths.length; start += size) {
    const waitStarted = performance.now()
    const batch = await (next ?? loadBatch(start))!
    const decodeWaitMs = performance.now() - waitStarted
    next = prefetch ? loadBatch(start + size) : null
    const decoded = batch.filter((d): d is Extract<Decoded, { image: DecodedImage }> => !('error' in d))
    let results: FileOutcome[]
    try {
      for (const d of decoded) onStart(d.path)
      const forced = decoded.map((d) => inspector.gateOverrideFor(basename(d.path)))
      const { inspections, failures, timings } =
        decoded.length > 0 ? await inspector.inspectBatch(decoded.map((d) => d.image), forced) : { inspections: [], failures: [], timings: null }
      // A batch's times are shared evenly among its images.
      const share = timings && (Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v / decoded.length])) as unknown as BatchTimings)
      results = decoded.map((d, i): FileOutcome => {
        if (failures[i]) return { ok: false, path: d.path, error: `unusable model output: ${failures[i]}` }
        const { pixels: _pixels, ...image } = d.image
        return { ok: true, path: d.path, sha256: d.sha256, image, inspection: inspections[i], timings: { ...share!, decodeMs: d.decodeMs, decodeWaitMs: decodeWaitMs / decoded.length } }
      })
    } catch (error) {
      results = decoded.map((d) => ({ ok: false, path: d.path, error: `inference failed: ${(error as Error).message}` }))
    }
    let i = 0
    for (const d of batch) yield 'error' in d ? { ok: false, path: d.path, error: d.error } : results[i++]
  }
}
