// Ground truth for a source: `truth.csv` beside the images (either Severstal form).
import { join } from 'node:path'
import { parseSeverstalCsv, type MaskRow } from '../../src-shared/severstalCsv.ts'
import { readRegularFileSync } from '../files/readRegularFile.ts'

export const TRUTH_FILE = 'truth.csv'

/** Truth masks by image id (file name), or null when the folder has no truth file. */
export function readTruth(folder: string): Map<string, MaskRow[]> | null {
  const file = join(folder, TRUTH_FILE)
  let text: string
  try {
    text = readRegularFileSync(file).toString('utf8') // a FIFO here must not block the host
  } catch {
    return null
  }
  const byImage = new Map<string, MaskRow[]>()
  for (const row of parseSeverstalCsv(text, file).masks) byImage.set(row.imageId, [...(byImage.get(row.imageId) ?? []), row])
  return byImage
}
