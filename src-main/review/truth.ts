// Ground truth for a source: `truth.csv` beside the images (either Severstal form). A truth file
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

/** Truth masks by image id, or null when the folder has no usable truth file. */
export function readTruth(folder: string): ReadonlyMap<string, readonly MaskRow[]> | null {
  return loadTruth(folder).byImage
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

