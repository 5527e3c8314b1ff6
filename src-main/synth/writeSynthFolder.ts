// The file edge of the generator: writes a folder of coil JPEGs and its `truth.csv` (Severstal's
// current form). Images are generated one at a time on this thread and handed to sharp, whose
// encoder runs on libuv's pool, so generation and encoding overlap on separate cores.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { encodeRle } from '../../src-shared/rle.ts'
import { formatSeverstalCsv, parseSeverstalCsv, type MaskRow } from '../../src-shared/severstalCsv.ts'
import { writeFileAtomic } from '../export/atomicWrite.ts'
import { COIL_HEIGHT, COIL_WIDTH, DEFECT_CLASSES, type DefectClass } from './frame.ts'
import { DEFAULT_DEFECT_RATE, generateCoil, type Coil } from './generateCoil.ts'

export interface SynthFolderOptions {
  readonly count: number
  readonly seed: number
  /** Default 0.5. */
  readonly defectRate?: number
  /** Index of the first image (default 0): image k is the same whatever set it is generated in. */
  readonly startIndex?: number
  /** JPEG quality, default 90. */
  readonly quality?: number
  /** Images being encoded at once, default 4. */
  readonly concurrency?: number
  readonly onProgress?: (done: number, total: number) => void
}

export interface SynthSummary {
  readonly dir: string
  readonly truthCsv: string
  readonly seed: number
  readonly startIndex: number
  readonly count: number
  readonly defectRate: number
  /** Images written with at least one defect. */
  readonly defective: number
  /** Images written with each class, keyed by class id. */
  readonly imagesPerClass: Readonly<Record<DefectClass, number>>
  readonly seconds: number
  readonly imagesPerSecond: number
}

/** An existing truth.csv that synth will not overwrite (unreadable or in another form). */
export class TruthFileError extends Error {}

export const TRUTH_CSV = 'truth.csv'

/** The file name of a coil's image. */
export function coilFileName(coil: Pick<Coil, 'id'>): string {
  return `${coil.id}.jpg`
}

function coilJpeg(gray: Uint8Array, quality: number): Sharp {
  // Three identical channels, as Severstal's files are.
  return sharp(gray, { raw: { width: COIL_WIDTH, height: COIL_HEIGHT, channels: 1 } })
    .toColourspace('srgb')
    .jpeg({ quality })
}

/**
 * Writes images startIndex … startIndex+count−1 of `seed` into `dir` and merges their masks into
 * `dir/truth.csv`: rows of images written now replace older ones, rows of other images stay, and
 * rows are sorted by image id, so a set extended with --start-index equals one generated at once.
 */
export async function writeSynthFolder(dir: string, options: SynthFolderOptions): Promise<SynthSummary> {
  const { count, seed } = options
  const defectRate = options.defectRate ?? DEFAULT_DEFECT_RATE
  const startIndex = options.startIndex ?? 0
  const quality = options.quality ?? 90
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count ${count} is not a non-negative integer`)
  const started = performance.now()
  await mkdir(dir, { recursive: true })
  const truthCsv = join(dir, TRUTH_CSV)
  const keptRows = await readTruthRows(truthCsv)

  const rows: MaskRow[] = []
  const writtenIds = new Set<string>()
  const imagesPerClass: Record<DefectClass, number> = { 1: 0, 2: 0, 3: 0, 4: 0 }
  let defective = 0
  let done = 0
  const inFlight = new Set<Promise<unknown>>()
  for (let index = startIndex; index < startIndex + count; index++) {
    const coil = generateCoil(seed, index, { defectRate })
    writtenIds.add(coilFileName(coil))
    if (coil.classes.length > 0) defective++
    for (const [classId, mask] of coil.masks) {
      imagesPerClass[classId]++
      rows.push({ imageId: coilFileName(coil), classId, rle: encodeRle(mask, COIL_HEIGHT, COIL_WIDTH) })
    }
    const writing: Promise<unknown> = coilJpeg(coil.gray, quality)
      .toFile(join(dir, coilFileName(coil)))
      .then(() => options.onProgress?.(++done, count))
      .finally(() => inFlight.delete(writing))
    writing.catch(() => {}) // its failure surfaces through race/all below, not as an unhandled rejection
    inFlight.add(writing)
    if (inFlight.size >= concurrency) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)

  const allRows = [...keptRows.filter((r) => !writtenIds.has(r.imageId)), ...rows]
  const imageIds = [...new Set(allRows.map((r) => r.imageId))].sort()
  await writeFileAtomic(truthCsv, formatSeverstalCsv('kaggle', imageIds, [...DEFECT_CLASSES], allRows), { overwrite: true }) // merged above
  const seconds = (performance.now() - started) / 1000
  return {
    dir, truthCsv, seed, startIndex, count, defectRate, defective, imagesPerClass, seconds,
    imagesPerSecond: seconds > 0 ? count / seconds : 0,
  }
}

/** The rows of an existing truth.csv, [] if there is none. */
async function readTruthRows(path: string): Promise<readonly MaskRow[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  let table
  try {
    table = parseSeverstalCsv(text, path)
  } catch (error) {
    throw new TruthFileError(`${(error as Error).message}; not overwriting it`)
  }
  if (table.format !== 'kaggle') throw new TruthFileError(`${path}: is in the ${table.format} form, not overwriting it`)
  return table.masks
}
