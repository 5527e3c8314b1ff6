// Ground truth for a source: `truth.csv` beside the images (either Severstal form), in the source
// folder or in an image's own sub-folder (see truthLocator). A truth file
// that cannot be used — not a regular file, not a Severstal CSV, a malformed mask — turns metrics
// off for its source with one message naming the file and the problem; Review goes on without it.
// Parsed once per version of the file (size, mtime, inode), not once per image.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseSeverstalCsv, type MaskRow } from '../../src-shared/severstalCsv.ts'
import { rleProblem } from '../../src-shared/rle.ts'

export const TRUTH_FILE = 'truth.csv'

export interface SourceTruth {
  /** Truth masks by image id (file name); null when there is no usable truth file. */
  readonly byImage: ReadonlyMap<string, readonly MaskRow[]> | null
  /** Why the truth file that is there cannot be used; null when it can, or there is none. */
  readonly problem: string | null
}

/** Thrown where a truth mask does not fit its image: the caller turns metrics off with it. */
export class TruthProblem extends Error {}

const parsed = new Map<string, { version: string; truth: SourceTruth }>()

export function loadTruth(folder: string): SourceTruth {
  const file = join(folder, TRUTH_FILE)
  let fd: number
  try {
    // O_NONBLOCK: a FIFO named truth.csv opens at once (and is refused below) instead of waiting.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? { byImage: null, problem: null } : { byImage: null, problem: `${file}: cannot read (${code})` }
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) return { byImage: null, problem: `${file}: not a regular file` }
    const version = `${stat.size}:${stat.mtimeMs}:${stat.ino}`
    const known = parsed.get(file)
    if (known?.version === version) return known.truth
    const truth = parseTruth(readFileSync(fd, 'utf8'), file)
    parsed.set(file, { version, truth })
    return truth
  } finally {
    closeSync(fd)
  }
}

function parseTruth(text: string, file: string): SourceTruth {
  let masks: readonly MaskRow[]
  try {
    masks = parseSeverstalCsv(text, file).masks
  } catch (error) {
    return { byImage: null, problem: (error as Error).message }
  }
  const byImage = new Map<string, MaskRow[]>()
  for (const row of masks) {
    // The images' sizes are not known here: only the runs' form and order are checked.
    const problem = rleProblem(row.rle, Number.MAX_SAFE_INTEGER, 1)
    if (problem) return { byImage: null, problem: `${file}: ${row.imageId} class ${row.classId}: ${problem}` }
    byImage.set(row.imageId, [...(byImage.get(row.imageId) ?? []), row])
  }
  return { byImage, problem: null }
}


/** An image's truth: its masks, the file they come from and the image's key in that file. */
export interface ImageTruth {
  /** The image's truth masks (empty: no defect); null when no usable truth file covers the image. */
  readonly rows: readonly MaskRow[] | null
  /** The truth file that covers the image, for messages; null when none does. */
  readonly file: string | null
  /** The image's id in that file. */
  readonly key: string
  /** Why the truth file that would cover the image cannot be used. */
  readonly problem: string | null
}

/**
 * The one rule for where an image's truth is: the truth.csv in the image's own folder, keyed by its
 * file name (a coil sub-folder written by `synth --coils`), else the source's truth.csv keyed by the
 * path from the source. Each folder is looked at once per locator; files are parsed once per version.
 */
export function truthLocator(sourceFolder: string): (relativePath: string) => ImageTruth {
  const folders = new Map<string, SourceTruth>()
  const inFolder = (folder: string): SourceTruth => folders.get(folder) ?? folders.set(folder, loadTruth(join(sourceFolder, folder))).get(folder)!
  return (relativePath) => {
    const slash = relativePath.lastIndexOf('/')
    if (slash >= 0) {
      const folder = relativePath.slice(0, slash)
      const own = inFolder(folder)
      if (own.byImage || own.problem) return found(own, join(sourceFolder, folder, TRUTH_FILE), relativePath.slice(slash + 1))
    }
    return found(inFolder(''), join(sourceFolder, TRUTH_FILE), relativePath)
  }
}

function found(truth: SourceTruth, file: string, key: string): ImageTruth {
  if (truth.problem) return { rows: null, file, key, problem: truth.problem }
  if (!truth.byImage) return { rows: null, file: null, key, problem: null }
  return { rows: truth.byImage.get(key) ?? [], file, key, problem: null }
}

/** A source's truth over its images: the first problem among the files that cover them, and whether any does. */
export function sourceTruth(sourceFolder: string, relativePaths: readonly string[]): { problem: string | null; covered: number; locate: (relativePath: string) => ImageTruth } {
  const locate = truthLocator(sourceFolder)
  let covered = 0
  for (const path of relativePaths) {
    const truth = locate(path)
    if (truth.problem) return { problem: truth.problem, covered, locate }
    if (truth.rows) covered++
  }
  return { problem: null, covered, locate }
}
